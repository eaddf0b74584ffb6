/**
 * POST /v1/rule-sets/check and GET /v1/rule-sets/:id/scenarios: the validator's issues without
 * storing anything, the shipped scenarios by default, given scenarios when sent; and the shipped rule
 * set readable like a stored version.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { rulesPath } from '../src/risk/index.js';
import { openSqliteStore } from '../src/store/index.js';

const shipped = () => JSON.parse(readFileSync(rulesPath('eu-default.json'), 'utf8'));

test('checking a rule set reports every issue with path, rule and position, and runs scenarios when valid', async () => {
  const store = openSqliteStore({ memory: true });
  const app = await buildApp({ store, snapshot: () => loadSnapshot() });
  try {
    const ok = await app.inject({
      method: 'POST',
      url: '/v1/rule-sets/check',
      payload: { document: shipped() },
    });
    assert.equal(ok.statusCode, 200);
    const scenarios = JSON.parse(readFileSync(rulesPath('eu-default.scenarios.json'), 'utf8')).scenarios;
    assert.deepEqual(
      [ok.json().valid, ok.json().ruleSet.key, ok.json().scenarios.source, ok.json().scenarios.passed],
      [true, `eu-default@${shipped().version}`, 'shipped', scenarios.length],
    );

    const doc = shipped();
    doc.rules[0].when = `${doc.rules[0].when} and`;
    doc.rules[1].when = 'nosuch.field == 1';
    doc.thresholds.blue = 99;
    const bad = (
      await app.inject({ method: 'POST', url: '/v1/rule-sets/check', payload: { document: doc } })
    ).json();
    assert.equal(bad.valid, false);
    assert.deepEqual(
      bad.issues.map((i: { code: string; path: string; ruleId?: string }) => [i.code, i.path, i.ruleId]),
      [
        ['rules.thresholds', '/thresholds', undefined],
        ['rules.syntax', '/rules/0/when', doc.rules[0].id],
        ['rules.unknown-field', '/rules/1/when', doc.rules[1].id],
      ],
    );
    assert.equal(typeof bad.issues[1].position, 'number');
    assert.equal((await app.inject({ url: '/v1/rule-sets' })).json().items.length, 0, 'nothing stored');

    // A scenario that expects the wrong lane fails and says why.
    const wrong = { ...scenarios[0], expect: { lane: 'red' } };
    const run = (
      await app.inject({
        method: 'POST',
        url: '/v1/rule-sets/check',
        payload: { document: shipped(), scenarios: [wrong] },
      })
    ).json();
    assert.deepEqual([run.scenarios.source, run.scenarios.failed], ['request', 1]);
    assert.match(run.scenarios.results[0].problems[0], /expected lane red, got green/);
    const malformed = await app.inject({
      method: 'POST',
      url: '/v1/rule-sets/check',
      payload: { document: shipped(), scenarios: [{ name: 'x' }] },
    });
    assert.deepEqual([malformed.statusCode, malformed.json().code], [422, 'rules.bad-scenarios']);
    assert.match(malformed.json().detail, /scenario "x" needs an "expect" object/);
    // A scenario file with a base: its patches run over it.
    const patched = (
      await app.inject({
        method: 'POST',
        url: '/v1/rule-sets/check',
        payload: {
          document: shipped(),
          scenarios: {
            base: scenarios[0].input,
            scenarios: [{ name: 'as base', patch: {}, expect: { lane: 'red' } }],
          },
        },
      })
    ).json();
    assert.deepEqual(
      [patched.scenarios.failed, patched.scenarios.results[0].problems[0]],
      [1, 'expected lane red, got green'],
    );

    // The check runs the test route's runner: the same results for the same document and file, and the
    // same answer for a scenario the engine cannot assess.
    const file = JSON.parse(readFileSync(rulesPath('eu-default.scenarios.json'), 'utf8'));
    const tested = (
      await app.inject({ method: 'POST', url: '/v1/rules/test', payload: { ...file, ruleSet: shipped() } })
    ).json();
    const checked = (
      await app.inject({
        method: 'POST',
        url: '/v1/rule-sets/check',
        payload: { document: shipped(), scenarios: file },
      })
    ).json();
    assert.deepEqual(checked.scenarios.results, tested.results);
    assert.deepEqual([tested.passed, tested.ruleSet], [true, checked.ruleSet.key]);
    const badNow = { scenarios: [{ ...scenarios[0], now: 'yesterday' }] };
    for (const [url, payload] of [
      ['/v1/rules/test', badNow],
      ['/v1/rule-sets/check', { document: shipped(), scenarios: badNow }],
    ] as const) {
      const res = await app.inject({ method: 'POST', url, payload });
      assert.deepEqual([res.statusCode, res.json().code], [400, 'request.invalid'], url);
      assert.match(res.json().detail, /not an ISO instant: yesterday/);
    }

    const listed = (await app.inject({ url: '/v1/rule-sets/eu-default/scenarios' })).json();
    assert.equal(listed.scenarios.length, scenarios.length);
    assert.equal((await app.inject({ url: '/v1/rule-sets/other/scenarios' })).statusCode, 404);
    const inForce = (await app.inject({ url: `/v1/rule-sets/eu-default/${shipped().version}` })).json();
    assert.deepEqual([inForce.shipped, inForce.active, inForce.document.id], [true, true, 'eu-default']);
    assert.equal(
      (await app.inject({ url: `/v1/rule-sets/eu-default/${shipped().version - 1}` })).statusCode,
      404,
    );
  } finally {
    await app.close();
    await store.close();
  }
});
