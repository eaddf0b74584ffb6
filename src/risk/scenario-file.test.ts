import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ParcelgateError } from '../domain/index.js';
import { loadDefaultRuleSet, rulesPath } from './default-rule-set.js';
import { mergePatch, runScenarioFile, type ScenarioFile } from './scenario-file.js';

const ruleSet = loadDefaultRuleSet();
const shipped = JSON.parse(readFileSync(rulesPath('eu-default.scenarios.json'), 'utf8')) as ScenarioFile;

test('the shipped scenario file passes against the shipped rule set', () => {
  const results = runScenarioFile(ruleSet, shipped);
  assert.deepEqual(
    results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`),
    [],
  );
});

test('every indicator the shipped rule set weighs has a scenario in the shipped file that makes it fire', () => {
  const expected = new Set(shipped.scenarios.flatMap((s) => s.expect.fires ?? []));
  const missing = Object.keys(ruleSet.indicators).filter((id) => !expected.has(id));
  assert.deepEqual(missing, []);
});

test('a scenario whose expectation is wrong fails with the reason', () => {
  const broken: ScenarioFile = {
    ...shipped,
    scenarios: [
      { name: 'wrong', patch: {}, intrinsicValueEur: '25.00', expect: { lane: 'red', fires: ['watchlist'] } },
    ],
  };
  const [r] = runScenarioFile(ruleSet, broken);
  assert.equal(r?.passed, false);
  assert.deepEqual(r?.problems, ['expected lane red, got green', 'expected watchlist to fire']);
});

test('a malformed scenario file is refused with the path of the problem', () => {
  const refused = (doc: unknown, path: string) =>
    assert.throws(
      () => runScenarioFile(ruleSet, doc),
      (e: unknown) =>
        e instanceof ParcelgateError && e.code === 'rules.bad-scenarios' && e.details?.path === path,
    );
  refused({}, '/scenarios');
  refused({ scenarios: [{ name: 'x' }] }, '/scenarios/0/expect');
  refused({ scenarios: [{ name: 'x', patch: {}, expect: {} }] }, '/scenarios/0');
});

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, 1, 'a'),
    fc.array(tie('value'), { maxLength: 2 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

test('merge patch: applying a patch twice changes nothing more, and an empty patch keeps an object', () => {
  fc.assert(
    fc.property(json, json, (rawTarget, rawPatch) => {
      // Plain JSON values, as a parsed file gives them.
      const target: unknown = JSON.parse(JSON.stringify(rawTarget));
      const patch: unknown = JSON.parse(JSON.stringify(rawPatch));
      const once = mergePatch(target, patch);
      assert.deepEqual(mergePatch(once, patch), once);
      if (typeof target === 'object' && target !== null && !Array.isArray(target))
        assert.deepEqual(mergePatch(target, {}), target);
    }),
  );
  assert.deepEqual(mergePatch({ a: { b: 1, c: 2 }, d: [1] }, { a: { c: null }, d: [2] }), {
    a: { b: 1 },
    d: [2],
  });
});

test('a scenario whose consignment is not valid is refused with the scenario and the field, not assessed', () => {
  const refusedAt = (scenario: Record<string, unknown>, path: string, words: RegExp) =>
    assert.throws(
      () => runScenarioFile(ruleSet, { ...shipped, scenarios: [scenario] }),
      (e: unknown) =>
        e instanceof ParcelgateError &&
        e.code === 'rules.bad-scenarios' &&
        e.details?.path === path &&
        words.test(e.message),
    );
  // A misspelt field would make the rule silently not fire; a deleted one crashed the assessment.
  refusedAt(
    { name: 'typo', patch: { categroy: 'gift' }, expect: { lane: 'green' } },
    '/scenarios/0/patch',
    /categroy/,
  );
  refusedAt(
    { name: 'no items', patch: { items: null }, expect: { lane: 'green' } },
    '/scenarios/0/patch',
    /items/,
  );
  refusedAt(
    {
      name: 'whole input',
      input: { ...shipped.base, routing: { ...shipped.base?.routing, dispatchCountry: 'China' } },
      expect: { lane: 'red' },
    },
    '/scenarios/0/input/routing/dispatchCountry',
    /dispatchCountry/,
  );
});

test('a scenario that expects nothing, or an unknown lane, is refused', () => {
  const refusedAt = (expect: unknown, path: string) =>
    assert.throws(
      () => runScenarioFile(ruleSet, { ...shipped, scenarios: [{ name: 'x', patch: {}, expect }] }),
      (e: unknown) =>
        e instanceof ParcelgateError && e.code === 'rules.bad-scenarios' && e.details?.path === path,
    );
  refusedAt({}, '/scenarios/0/expect');
  refusedAt({ lane: 'orange' }, '/scenarios/0/expect/lane');
  refusedAt({ notFires: 'R-CASH' }, '/scenarios/0/expect/notFires');
});

test('expecting a rule the rule set does not have fails the scenario instead of passing it silently', () => {
  const [r] = runScenarioFile(ruleSet, {
    ...shipped,
    scenarios: [
      {
        name: 'typo in notFires',
        patch: {},
        intrinsicValueEur: '25.00',
        expect: { notFires: ['R-VAGUE-DESK'] },
      },
    ],
  });
  assert.equal(r?.passed, false);
  assert.deepEqual(r?.problems, [`R-VAGUE-DESK is not a rule or indicator of ${ruleSet.key}`]);
});

test("a scenario file whose reference table has a bad row is refused with the row's path", () => {
  const doc = structuredClone(shipped) as unknown as {
    context: { referencePrices: { prices: Record<string, Record<string, unknown>> } };
  };
  doc.context.referencePrices.prices['851762']!['logSpread'] = 0;
  assert.throws(
    () => runScenarioFile(ruleSet, doc),
    (e: unknown) =>
      e instanceof ParcelgateError &&
      e.code === 'rules.bad-scenarios' &&
      e.details?.path === '/context/referencePrices/prices/851762/logSpread',
  );
});

test('a malformed or misspelt scenario context is refused with its path, not a crash or an empty list', () => {
  const base = structuredClone(shipped) as unknown as Record<string, unknown>;
  const refused = (context: unknown, scenario: Record<string, unknown> = {}, path = ''): void => {
    const doc = {
      ...base,
      context,
      scenarios: [{ name: 's', patch: {}, expect: { lane: 'green' }, ...scenario }],
    };
    assert.throws(
      () => runScenarioFile(ruleSet, doc),
      (e: unknown) =>
        e instanceof ParcelgateError &&
        e.code === 'rules.bad-scenarios' &&
        (path === '' || e.details?.path === path),
      JSON.stringify({ context, scenario }),
    );
  };
  // A name where a list is wanted threw "map is not a function"; a null name crashed the name folding.
  refused({ watchlist: { consignees: 'Ivan Petrov' } }, {}, '/context/watchlist/consignees');
  refused({ watchlist: { consignees: ['Ivan Petrov', null] } }, {}, '/context/watchlist/consignees/1');
  refused({ watchlist: { sellers: [''] } }, {}, '/context/watchlist/sellers/0');
  // Misspelt keys left the watchlist empty without a word.
  refused({ watchlist: { consigness: ['Ivan Petrov'] } }, {}, '/context/watchlist/consigness');
  refused({ watchlst: { consignees: ['Ivan Petrov'] } }, {}, '/context/watchlst');
  refused('Ivan Petrov', {}, '/context');
  // A scenario's history and party record.
  refused(undefined, { history: 'yesterday' }, '/scenarios/0/history');
  refused(
    undefined,
    { history: [{ valueEur: 'abc', at: '2026-01-01T09:00:00Z' }] },
    '/scenarios/0/history/0/valueEur',
  );
  refused(undefined, { history: [{ valueEur: '110.00', at: 'yesterday' }] }, '/scenarios/0/history/0/at');
  refused(
    undefined,
    { party: { consignee: { inspections: 'three', findings: 0 } } },
    '/scenarios/0/party/consignee/inspections',
  );
  refused(undefined, { party: { consigne: { inspections: 1, findings: 1 } } }, '/scenarios/0/party/consigne');
});
