import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot, openRiskRuntime } from '../src/clearance/index.js';
import type { ConsignmentInput } from '../src/domain/index.js';
import { openSqliteRiskStore, openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

/** Seller S-77's order of one EUR 90 Bluetooth speaker, as a postal item of `serial`. */
const speaker = (serial: string, overrides: Partial<ConsignmentInput> = {}): ConsignmentInput =>
  postalItem(
    {
      platform: { id: 'MKT', orderId: `ORD-${serial}`, sellerId: 'S-77' },
      items: [
        {
          description: 'Bluetooth speaker 20W',
          hsCode: '851822',
          quantity: 1,
          unit: 'pcs',
          netWeightGrams: 500,
          value: { amount: '90.00', currency: 'EUR' },
          origin: 'CN',
        },
      ],
      ...overrides,
    },
    serial,
  );

const base = loadSnapshot({ randomRate: 0, classifier: false });
const NOW = '2026-11-27T10:00:00.000Z';

async function app() {
  const store = openSqliteStore({ memory: true });
  const risk = await openRiskRuntime({ store: openSqliteRiskStore({ memory: true }), base, now: NOW });
  const a = await buildApp({
    store,
    risk,
    snapshot: () => risk.snapshot(),
    observe: (cs) => risk.observe(cs),
    clock: () => new Date(NOW),
  });
  return { a, risk };
}

// A small rule set that sends every parcel to Germany to the red lane.
const redForDe = (version: number) => ({
  id: 'ops-test',
  version,
  thresholds: { red: 70, yellow: 40, blue: 20 },
  rules: [
    {
      id: 'R-ALL-DE',
      version: 1,
      title: 'Everything to Germany',
      author: 'test',
      effectiveFrom: '2021-07-01',
      when: 'routing.destinationCountry == "DE"',
      lane: 'red',
      reason: 'exercise',
    },
  ],
});

test('a loaded rule set changes nothing until it is activated; then the next batch uses it, without restart', async () => {
  const { a } = await app();
  const before = await a.inject({
    method: 'POST',
    url: '/v1/consignments',
    payload: postalItem({}, '10000001'),
  });
  assert.equal(before.json().lane, 'green');
  const loaded = await a.inject({ method: 'POST', url: '/v1/rule-sets', payload: redForDe(1) });
  assert.equal(loaded.statusCode, 201);
  assert.deepEqual(
    {
      id: loaded.json().ruleSet.id,
      active: loaded.json().ruleSet.active,
      rules: loaded.json().ruleSet.rules,
    },
    { id: 'ops-test', active: false, rules: 1 },
  );
  const still = await a.inject({
    method: 'POST',
    url: '/v1/consignments',
    payload: postalItem({}, '10000002'),
  });
  assert.equal(still.json().lane, 'green');
  const act = await a.inject({ method: 'POST', url: '/v1/rule-sets/ops-test/1/activate' });
  assert.equal(act.statusCode, 200);
  assert.match(act.json().snapshot, /^ops-test@1;/);
  const after = await a.inject({
    method: 'POST',
    url: '/v1/consignments',
    payload: postalItem({}, '10000003'),
  });
  assert.equal(after.json().lane, 'red');
  const doc = await a.inject({ method: 'GET', url: `/v1/consignments/${after.json().consignmentId}` });
  assert.equal(doc.json().assessment.risk.ruleSetVersion, 'ops-test@1');
  const list = await a.inject({ method: 'GET', url: '/v1/rule-sets' });
  assert.equal(list.json().inForce, 'ops-test@1');
  assert.deepEqual(
    list.json().items.map((r: { version: number; active: boolean }) => [r.version, r.active]),
    [[1, true]],
  );
});

test('an invalid rule set is refused with every problem and its path; nothing is stored', async () => {
  const { a } = await app();
  const bad = redForDe(2);
  bad.rules[0]!.when = 'routing.destinationCountyr == "DE"';
  (bad.thresholds as { red: number }).red = 10;
  const res = await a.inject({ method: 'POST', url: '/v1/rule-sets', payload: bad });
  assert.equal(res.statusCode, 422);
  assert.equal(res.json().code, 'rules.rejected');
  const codes = res.json().issues.map((i: { code: string; path: string }) => `${i.code} ${i.path}`);
  assert.ok(codes.includes('rules.unknown-field /rules/0/when'), codes.join(', '));
  assert.ok(
    codes.some((c: string) => c.startsWith('rules.thresholds')),
    codes.join(', '),
  );
  assert.deepEqual((await a.inject({ method: 'GET', url: '/v1/rule-sets' })).json().items, []);
});

test('the same version with other content is a conflict; activating an unknown version is not found', async () => {
  const { a } = await app();
  assert.equal(
    (await a.inject({ method: 'POST', url: '/v1/rule-sets', payload: redForDe(3) })).statusCode,
    201,
  );
  assert.equal(
    (await a.inject({ method: 'POST', url: '/v1/rule-sets', payload: redForDe(3) })).statusCode,
    200,
  );
  const changed = redForDe(3);
  changed.rules[0]!.reason = 'changed';
  const conflict = await a.inject({ method: 'POST', url: '/v1/rule-sets', payload: changed });
  assert.equal(conflict.statusCode, 409);
  assert.equal(conflict.json().code, 'rules.version-exists');
  const missing = await a.inject({ method: 'POST', url: '/v1/rule-sets/ops-test/9/activate' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'rules.not-found');
});

test('inspection findings feed the rules report with precision per rule', async () => {
  const { a } = await app();
  await a.inject({ method: 'POST', url: '/v1/rule-sets', payload: redForDe(4) });
  await a.inject({ method: 'POST', url: '/v1/rule-sets/ops-test/4/activate' });
  const ids: string[] = [];
  for (const serial of ['20000001', '20000002']) {
    const r = await a.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem({}, serial) });
    ids.push(r.json().consignmentId);
  }
  const decide = (id: string, finding: string) =>
    a.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/decisions`,
      headers: { 'x-actor': 'officer:o1' },
      payload: { action: 'release', reason: 'inspected', finding },
    });
  assert.equal((await decide(ids[0]!, 'undervalued')).statusCode, 200);
  assert.equal((await decide(ids[1]!, 'nothing-found')).statusCode, 200);
  const report = (await a.inject({ method: 'GET', url: '/v1/rules/report' })).json();
  const rule = report.rules.find((r: { id: string }) => r.id === 'R-ALL-DE');
  assert.deepEqual([rule.selections, rule.hits, rule.hitRate], [2, 1, 0.5]);
  assert.equal(report.outcomes, 2);
});

test('split shipments are seen across batches and survive a restart through the risk store', async () => {
  const riskStore = openSqliteRiskStore({ memory: true });
  const snap = loadSnapshot({ randomRate: 0, classifier: false });
  const one = await openRiskRuntime({ store: riskStore, base: snap, now: NOW });
  const store = openSqliteStore({ memory: true });
  const deps = {
    store,
    risk: one,
    snapshot: () => one.snapshot(),
    observe: one.observe,
    clock: () => new Date(NOW),
  };
  const a = await buildApp(deps);
  const parcel = (serial: string) => speaker(serial);
  await a.inject({ method: 'POST', url: '/v1/consignments', payload: parcel('30000001') });
  await one.flush();
  assert.equal((await riskStore.parcelsSince('')).length, 1);
  // A new process: the history comes back from the store.
  const two = await openRiskRuntime({ store: riskStore, base: snap, now: NOW });
  // Nothing is preloaded: the second parcel's batch loads its consignee's parcels from the store.
  assert.equal(two.history.size, 0);
  const b = await buildApp({ ...deps, risk: two, snapshot: () => two.snapshot(), observe: two.observe });
  const second = await b.inject({ method: 'POST', url: '/v1/consignments', payload: parcel('30000002') });
  const doc = (
    await b.inject({ method: 'GET', url: `/v1/consignments/${second.json().consignmentId}` })
  ).json();
  const hit = doc.assessment.risk.hits.find((h: { id: string }) => h.id === 'split-shipment');
  assert.ok(hit, 'split-shipment fires on the second parcel');
  assert.equal(hit.inputs.parcels, 2);
});

test('reference prices re-learnt from the store leave out what inspections found, and swap into the snapshot', async () => {
  const { submitBatch, learnPricesFromStore } = await import('../src/clearance/index.js');
  const riskStore = openSqliteRiskStore({ memory: true });
  const risk = await openRiskRuntime({ store: riskStore, base, now: NOW });
  const store = openSqliteStore({ memory: true });
  const ctx = { actor: 'test', submitterId: 'test', now: NOW };
  const records = Array.from({ length: 40 }, (_, i) => postalItem({}, String(40000000 + i)));
  const results = await submitBatch(ctx, records, { store, snapshot: () => risk.snapshot() });
  const first = await store.get(results[0]!.consignmentId!);
  await risk.recordDecision({ ...ctx, actor: 'officer:o' }, first!, {
    action: 'release',
    reason: 'inspected',
    finding: 'undervalued',
  });
  const learnt = await learnPricesFromStore(store, riskStore, { minSupport: 30 });
  assert.equal(learnt.consignments, 40);
  assert.equal(learnt.excluded, 1);
  assert.equal(learnt.table.prices['610910']?.support, 39);
  const before = risk.snapshot().version;
  risk.useReferencePrices(learnt.table);
  assert.notEqual(risk.snapshot().version, before);
  assert.match(risk.snapshot().version, /;prices:[0-9a-f]{12}$/);
  assert.equal(risk.snapshot().referencePrices, learnt.table);
});

test('the consignee history taken from fresh texts equals the one taken from the written consignments', async () => {
  const { submitBatch } = await import('../src/clearance/index.js');
  const { generateFlood } = await import('../src/sim/index.js');
  const byObjects = await openRiskRuntime({ store: openSqliteRiskStore({ memory: true }), base, now: NOW });
  const byTexts = await openRiskRuntime({ store: openSqliteRiskStore({ memory: true }), base, now: NOW });
  const store = openSqliteStore({ memory: true });
  const deps = {
    store,
    snapshot: () => base,
    observe: (cs: Parameters<typeof byObjects.observe>[0]) => byObjects.observe(cs),
    observeWrites: (...w: Parameters<typeof byTexts.observeWrites>) => byTexts.observeWrites(...w),
  };
  const ctx = { actor: 'test', submitterId: 'test', now: NOW };
  // Linked sources (merged documents), parcels outside the euro, and a second batch linking to the first.
  const records = [
    ...generateFlood({ seed: 'observe', count: 150, day: '2026-11-27' }),
    ...generateFlood({
      seed: 'observe-world',
      count: 60,
      day: '2026-11-27',
      destinations: ['GB', 'US', 'DE'],
    }),
  ].map((r) => r.input);
  await submitBatch(ctx, records.slice(0, 120), deps);
  await submitBatch(ctx, records.slice(120), deps);
  await byObjects.flush();
  await byTexts.flush();
  const expected = await byObjects.store.parcelsSince('');
  assert.ok(expected.length > 150, String(expected.length));
  assert.deepEqual(await byTexts.store.parcelsSince(''), expected);
});

test('POST /v1/rules/test runs a scenario file like `rules test`: in force, or against an inline rule set', async () => {
  const { a } = await app();
  const file = {
    base: postalItem({}, '20000003'),
    scenarios: [{ name: 'to Germany', patch: {}, expect: { lane: 'red', fires: ['R-ALL-DE'] } }],
  };
  const inForce = (await a.inject({ method: 'POST', url: '/v1/rules/test', payload: file })).json();
  assert.equal(inForce.passed, false, 'the rule set in force has no R-ALL-DE');
  assert.deepEqual(inForce.results[0].problems, [
    `R-ALL-DE is not a rule or indicator of ${inForce.ruleSet}`,
    `expected lane red, got ${inForce.results[0].lane}`,
    'expected R-ALL-DE to fire',
  ]);
  const draft = await a.inject({
    method: 'POST',
    url: '/v1/rules/test',
    payload: { ...file, ruleSet: redForDe(9) },
  });
  assert.equal(draft.statusCode, 200);
  assert.deepEqual([draft.json().ruleSet, draft.json().passed], ['ops-test@9', true]);
  const bad = await a.inject({ method: 'POST', url: '/v1/rules/test', payload: { scenarios: 'none' } });
  assert.deepEqual([bad.statusCode, bad.json().code], [422, 'rules.bad-scenarios']);
});

test('a consignee dropped from the bounded history is read back from the store: the split is still seen', async () => {
  const { submitBatch } = await import('../src/clearance/index.js');
  const riskStore = openSqliteRiskStore({ memory: true });
  // One consignee held in memory at a time.
  const risk = await openRiskRuntime({ store: riskStore, base, now: NOW, maxConsignees: 1 });
  const store = openSqliteStore({ memory: true });
  const deps = {
    store,
    snapshot: () => risk.snapshot(),
    observeWrites: (...w: Parameters<typeof risk.observeWrites>) => risk.observeWrites(...w),
  };
  const ctx = { actor: 'test', submitterId: 'test', now: NOW };
  const parcel = (serial: string, name: string) =>
    speaker(serial, {
      consignee: {
        name,
        address: { street: 'Hauptstrasse 5', city: 'Berlin', postcode: '10115', country: 'DE' },
      },
    });
  await submitBatch(ctx, [parcel('31000001', 'Anna Schmidt')], deps);
  await risk.flush();
  // Two other consignees since: Anna is no longer held in memory.
  await submitBatch(ctx, [parcel('31000002', 'Bert Meyer')], deps);
  await risk.flush();
  await submitBatch(ctx, [parcel('31000003', 'Carla Roth')], deps);
  await risk.flush();
  assert.equal(risk.history.consignees, 1);
  assert.deepEqual(risk.history.recentForConsignee('anna schmidt|10115|DE'), []);
  const [second] = await submitBatch(ctx, [parcel('31000004', 'Anna Schmidt')], deps);
  const doc = await store.get(second!.consignmentId!);
  const hit = doc!.assessment.risk.hits.find((h) => h.id === 'split-shipment');
  assert.ok(hit, 'split-shipment fires on Anna’s second parcel');
  assert.equal(hit.inputs?.parcels, 2);
});

test('with calibration on, the runtime weighs rules by the hit rates of the stored outcomes, and follows new ones on refresh', async () => {
  const store = openSqliteRiskStore({ memory: true });
  let n = 0;
  const record = async (ruleIds: string[], count: number, hits: number, random = false) => {
    for (let i = 0; i < count; i++)
      await store.recordOutcome({
        consignmentId: `csg_${n++}`,
        finding: i < hits ? 'prohibited' : 'nothing-found',
        at: NOW,
        officer: 'officer-1',
        ruleIds,
        random,
        consigneeKey: null,
        sellerKey: null,
      });
  };
  // A day of inspections: random 8 %, targeted 97 %; the lithium rule's inspections all found something.
  await record([], 100, 8, true);
  await record(['R-COUNTERFEIT-BRAND'], 200, 194);
  await record(['R-LITHIUM-BATTERY'], 40, 40);
  const weight = (r: Awaited<ReturnType<typeof openRiskRuntime>>, id: string) =>
    r.snapshot().ruleSet.rules.find((x) => x.id === id)?.weight;
  const configured = base.ruleSet.rules.find((x) => x.id === 'R-LITHIUM-BATTERY')?.weight ?? NaN;

  const plain = await openRiskRuntime({ store, base, now: NOW });
  assert.equal(weight(plain, 'R-LITHIUM-BATTERY'), configured);
  assert.doesNotMatch(plain.snapshot().version, /cal:/);

  const learning = await openRiskRuntime({ store, base, now: NOW, calibration: {} });
  const lifted = weight(learning, 'R-LITHIUM-BATTERY') ?? NaN;
  assert.ok(lifted > configured, `${lifted}`);
  assert.match(learning.snapshot().version, /;cal:[0-9a-f]{12}/);
  const report = await learning.report();
  assert.equal(report.calibration?.weights.find((w) => w.id === 'R-LITHIUM-BATTERY')?.calibrated, lifted);

  // Another process records that the rule's next inspections found nothing: the refresh lowers it.
  await record(['R-LITHIUM-BATTERY'], 60, 0);
  assert.equal(await learning.refresh(), true);
  assert.ok((weight(learning, 'R-LITHIUM-BATTERY') ?? NaN) < lifted);
  assert.equal(await learning.refresh(), false);
  await store.close();
});
