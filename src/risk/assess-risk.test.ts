import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessRisk } from './assess-risk.js';
import { controlDraw, isRandomlySelected } from './random-control.js';
import { redactForSubmitter } from './redact.js';
import { cleanConsignment, cleanItem, compiled, riskContext, riskInput, rule } from './test-fixtures.js';
import { buildWatchlist } from './watchlist.js';
import { sellerPseudonym } from '../privacy/pseudonym.js';

const gift = cleanConsignment({ category: 'gift' });

test('a clean consignment with no fired rule is green with score 0', () => {
  const rs = compiled([rule({ id: 'GIFT', when: 'category == "gift"', weight: 30 })]);
  const r = assessRisk(riskInput(), riskContext(rs));
  assert.deepEqual(r, {
    score: 0,
    lane: 'green',
    security: 'assessment-complete',
    hits: [],
    randomSelected: false,
    ruleSetVersion: 'test@3',
  });
});

test('weights add up and the score picks the lane from the rule-set thresholds', () => {
  const rules = (w1: number, w2: number) =>
    compiled([
      rule({ id: 'A', when: 'category == "gift"', weight: w1 }),
      rule({ id: 'B', when: 'count(items) >= 1', weight: w2 }),
    ]);
  const lane = (w1: number, w2: number) => assessRisk(riskInput(gift), riskContext(rules(w1, w2))).lane;
  assert.equal(lane(10, 9), 'green');
  assert.equal(lane(10, 10), 'blue');
  assert.equal(lane(20, 20), 'yellow');
  assert.equal(lane(35, 35), 'red');
  const custom = compiled([rule({ id: 'A', when: 'true', weight: 15 })], {
    thresholds: { red: 15, yellow: 10, blue: 5 },
  });
  assert.equal(assessRisk(riskInput(), riskContext(custom)).lane, 'red');
});

test('the score is capped at 100 and every hit records its contribution, inputs and reason', () => {
  const rs = compiled([
    rule({ id: 'A', when: 'category == "gift"', weight: 80, reason: 'gift to {consignee.name}' }),
    rule({
      id: 'B',
      when: 'items.any(origin == "CN")',
      weight: 50,
      reason: 'item {description} from {origin}',
    }),
  ]);
  const r = assessRisk(riskInput(gift), riskContext(rs));
  assert.equal(r.score, 100);
  assert.deepEqual(
    r.hits.map((h) => [h.id, h.kind, h.score, h.reason, h.inputs]),
    [
      ['A', 'rule', 80, 'gift to Hans Becker', { category: 'gift' }],
      ['B', 'rule', 50, 'item Cotton T-shirt from CN', { 'items[0].origin': 'CN' }],
    ],
  );
});

test('a direct-lane rule sets the lane even with a low score, and the severest lane wins', () => {
  const rs = compiled([
    rule({ id: 'Y', when: 'category == "gift"', lane: 'yellow', weight: 0 }),
    rule({ id: 'B', when: 'true', lane: 'blue', weight: 0 }),
  ]);
  const r = assessRisk(riskInput(gift), riskContext(rs));
  assert.equal(r.lane, 'yellow');
  assert.equal(r.score, 0);
  assert.equal(r.hits.find((h) => h.id === 'Y')?.lane, 'yellow');
  const high = compiled([rule({ id: 'B', when: 'true', lane: 'blue', weight: 90 })]);
  assert.equal(assessRisk(riskInput(), riskContext(high)).lane, 'red');
});

test('the security track is independent of the fiscal lane', () => {
  const rs = compiled([
    rule({ id: 'REF', when: 'items.any(hsCode hsIn ["8507"])', security: 'referral', weight: 0 }),
    rule({ id: 'DNL', when: 'items.any(hsCode hsIn ["93"])', security: 'do-not-load', weight: 0 }),
  ]);
  const battery = cleanConsignment({
    items: [cleanItem({ description: 'Lithium-ion accumulator', hsCode: '850760' })],
  });
  const r = assessRisk(riskInput(battery), riskContext(rs));
  assert.equal(r.security, 'referral');
  assert.equal(r.lane, 'green');
  const both = cleanConsignment({
    items: [
      cleanItem({ description: 'Lithium-ion accumulator', hsCode: '850760' }),
      cleanItem({ description: 'Revolver parts', hsCode: '930591' }),
    ],
  });
  assert.equal(assessRisk(riskInput(both), riskContext(rs)).security, 'do-not-load');
  const fiscal = compiled([rule({ id: 'RED', when: 'true', lane: 'red' })]);
  assert.equal(assessRisk(riskInput(), riskContext(fiscal)).security, 'assessment-complete');
});

test('only rules effective at now apply, with inclusive day bounds in UTC', () => {
  const rs = compiled([
    rule({ id: 'OLD', when: 'true', effectiveFrom: '2021-07-01', effectiveTo: '2023-12-31' }),
    rule({ id: 'NEW', when: 'true', effectiveFrom: '2024-01-01' }),
    rule({
      id: 'NOON',
      when: 'true',
      effectiveFrom: '2024-06-01T12:00:00Z',
      effectiveTo: '2024-06-01T13:00:00Z',
    }),
  ]);
  const ids = (now: string) => assessRisk(riskInput(), riskContext(rs, { now })).hits.map((h) => h.id);
  assert.deepEqual(ids('2023-12-31T23:59:59Z'), ['OLD']);
  assert.deepEqual(ids('2024-01-01T00:00:00Z'), ['NEW']);
  assert.deepEqual(ids('2024-06-01T12:30:00+00:00'), ['NEW', 'NOON']);
  assert.deepEqual(ids('2024-06-01T13:00:00Z'), ['NEW']);
  assert.deepEqual(ids('2021-06-30T23:59:59Z'), []);
});

test('indicators above their threshold become hits weighted by their score', () => {
  const rs = compiled([rule({ id: 'VAGUE', when: 'indicator("vague-description") >= 0.9', weight: 5 })], {
    indicators: { 'vague-description': { threshold: 0.6, weight: 20 } },
  });
  const c = cleanConsignment({ items: [cleanItem({ description: 'Gift', hsCode: undefined })] });
  const r = assessRisk(riskInput(c), riskContext(rs));
  assert.deepEqual(
    r.hits.map((h) => [h.id, h.kind, h.score]),
    [
      ['vague-description', 'indicator', 18],
      ['VAGUE', 'rule', 5],
    ],
  );
  assert.equal(r.score, 23);
  assert.deepEqual(r.hits[1]?.inputs, { 'indicator("vague-description")': 0.9 });
});

test('watchlist matches feed listed() in rules', () => {
  const rs = compiled([
    rule({ id: 'WL', when: 'listed("consignees")', lane: 'red', reason: 'listed {consignee.name}' }),
  ]);
  const watchlist = buildWatchlist({ consignees: [{ name: 'Becker Hans' }] });
  const r = assessRisk(riskInput(), riskContext(rs, { watchlist }));
  assert.equal(r.lane, 'red');
  assert.equal(r.hits[0]?.reason, 'listed Hans Becker');
});

test('random control selection is deterministic for a seed and id and turns the lane red', () => {
  const rs = compiled([]);
  const ids = Array.from({ length: 200 }, (_, i) => `csg_${i}`);
  const picked = ids.find((id) => isRandomlySelected('seed', id, 0.05)) as string;
  const r = assessRisk(riskInput(undefined, { id: picked }), riskContext(rs, { randomRate: 0.05 }));
  assert.equal(r.randomSelected, true);
  assert.equal(r.lane, 'red');
  assert.deepEqual(r.hits, [
    {
      id: 'random-control',
      version: 1,
      kind: 'random',
      score: 0,
      lane: 'red',
      reason: 'random control sample',
      inputs: { laneWithoutDraw: 'green' },
    },
  ]);
  assert.deepEqual(
    assessRisk(riskInput(undefined, { id: picked }), riskContext(rs, { randomRate: 0.05 })),
    r,
  );
  assert.equal(
    assessRisk(riskInput(undefined, { id: picked }), riskContext(rs, { randomRate: 0 })).randomSelected,
    false,
  );
  assert.notEqual(controlDraw('seed', picked), controlDraw('other-seed', picked));
});

test('random control selects close to the configured rate over 100k ids', () => {
  for (const rate of [0.01, 0.05, 0.2]) {
    let n = 0;
    const total = 100_000;
    for (let i = 0; i < total; i++)
      if (isRandomlySelected('2024-06', `csg_01HZ${i.toString(36).padStart(8, '0')}`, rate)) n++;
    const sd = Math.sqrt(total * rate * (1 - rate));
    assert.ok(Math.abs(n - total * rate) < 5 * sd, `rate ${rate}: ${n} of ${total}`);
  }
});

test('the submitter view gives the lane in generic words without rule ids, scores or the random flag', () => {
  const rs = compiled([
    rule({
      id: 'SECRET-RULE-42',
      when: 'true',
      lane: 'red',
      security: 'referral',
      weight: 77,
      reason: 'secret reason',
    }),
  ]);
  const risk = assessRisk(riskInput(), riskContext(rs));
  const view = redactForSubmitter(risk);
  assert.equal(view.lane, 'red');
  assert.equal(view.security, 'referral');
  const text = JSON.stringify(view);
  for (const secret of ['SECRET', 'secret', '77', 'score', 'random'])
    assert.ok(!text.includes(secret), secret);
  assert.equal(view.reasons.length, 2);
  assert.deepEqual(redactForSubmitter({ ...risk, lane: 'green', security: 'assessment-complete' }).reasons, [
    'Cleared for release.',
  ]);
});

test('an unparsable now is an error, not a silent switch-off of every rule', () => {
  const rs = compiled([rule({ id: 'A', when: 'true' })]);
  assert.throws(() => assessRisk(riskInput(), riskContext(rs, { now: 'yesterday' })), {
    code: 'rules.bad-now',
  });
});

test('a negative indicator weight (operator trust) lowers the score and records the hit, never below zero', async () => {
  const { PartyBook } = await import('./party-history.js');
  const parties = new PartyBook();
  for (let i = 0; i < 20; i++) parties.record(null, sellerPseudonym('seller-1'), false);
  const set = compiled([rule({ id: 'SMALL', when: 'category == "sale"', weight: 10 })], {
    indicators: { 'operator-trust': { threshold: 0.5, weight: -15 } },
  });
  const r = assessRisk(riskInput(), riskContext(set, { parties }));
  assert.equal(r.score, 0);
  assert.equal(r.hits.find((h) => h.id === 'operator-trust')?.score, -15);
  const noTrust = assessRisk(riskInput(), riskContext(set));
  assert.equal(noTrust.score, 10);
});
