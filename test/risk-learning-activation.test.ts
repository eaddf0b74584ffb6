/**
 * Learning from outcomes and rule-set activation, at the risk runtime: a repeated outcome counts once,
 * a corrected one replaces the first (rules report and party history alike), clean findings are not hits;
 * an activation is never undone by a refresh that read the store before it; on PostgreSQL, a second
 * process picks up another's activation and outcomes at its next refresh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assess, loadSnapshot, openRiskRuntime, type RiskRuntime } from '../src/clearance/index.js';
import { sellerKey } from '../src/risk/index.js';
import { openSqliteRiskStore, type RiskStore, type StoredConsignment } from '../src/store/index.js';
import { openPostgresRiskStore } from '../src/store/postgres/pg-risk-store.js';
import { postgresTest } from '../src/store/postgres/testing/pg-suite.js';
import { postalItem } from '../src/testing/consignments.js';

const base = loadSnapshot({ randomRate: 0, classifier: false });
const NOW = '2026-11-27T10:00:00.000Z';

const redForDe = (version: number, ruleId = 'R-ALL-DE') => ({
  id: 'ops-test',
  version,
  thresholds: { red: 70, yellow: 40, blue: 20 },
  rules: [
    {
      id: ruleId,
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

/** A stored consignment assessed by the runtime's snapshot (only what recordDecision reads). */
function consignment(risk: RiskRuntime, id: string, serial: string): StoredConsignment {
  const input = postalItem({ platform: { id: 'MKT', orderId: `O-${serial}`, sellerId: 'S-9' } }, serial);
  const assessment = assess(
    { consignmentId: id, input, mismatches: [], sourceKinds: [input.source] },
    risk.snapshot(),
    NOW,
  );
  return { id, merged: input, assessment } as unknown as StoredConsignment;
}

const ctx = (now: string) => ({ actor: 'officer:o1', submitterId: 'customs', now });
const release = (finding: string) => ({ action: 'release' as const, reason: 'inspected it', finding });

test('a repeated outcome counts once and a corrected one replaces the first, in the report and the party history', async () => {
  const risk = await openRiskRuntime({ store: openSqliteRiskStore({ memory: true }), base, now: NOW });
  await risk.loadRuleSet(redForDe(1), 'analyst:a', NOW);
  await risk.activate('ops-test', 1, 'supervisor:s', NOW);
  const c = consignment(risk, 'csg_1', '30000001');
  assert.equal(c.assessment.risk.lane, 'red');
  const seller = sellerKey(c.merged) as string;

  await risk.recordDecision(ctx(NOW), c, release('nothing-found'));
  await risk.recordDecision(ctx('2026-11-27T10:01:00.000Z'), c, release('nothing-found'));
  let rule = (await risk.report()).rules.find((r) => r.id === 'R-ALL-DE');
  assert.deepEqual([rule?.selections, rule?.hits], [1, 0], 'the same outcome twice is one inspection');
  assert.deepEqual(risk.snapshot().parties?.seller(seller), { inspections: 1, findings: 0 });

  await risk.recordDecision(ctx('2026-11-27T11:00:00.000Z'), c, release('counterfeit'));
  const report = await risk.report();
  rule = report.rules.find((r) => r.id === 'R-ALL-DE');
  assert.deepEqual(
    [report.outcomes, rule?.selections, rule?.hits, rule?.findings],
    [1, 1, 1, { counterfeit: 1 }],
  );
  assert.deepEqual(risk.snapshot().parties?.seller(seller), { inspections: 1, findings: 1 });

  // The in-memory history is what the store says after a restart, too.
  const again = await openRiskRuntime({ store: risk.store, base, now: NOW });
  assert.deepEqual(again.snapshot().parties?.seller(seller), { inspections: 1, findings: 1 });
});

test('a clean finding worded "none" or "clean" is not a hit for the rules report or the party history', async () => {
  const risk = await openRiskRuntime({ store: openSqliteRiskStore({ memory: true }), base, now: NOW });
  await risk.loadRuleSet(redForDe(1), 'analyst:a', NOW);
  await risk.activate('ops-test', 1, 'supervisor:s', NOW);
  const a = consignment(risk, 'csg_a', '30000011');
  const b = consignment(risk, 'csg_b', '30000012');
  await risk.recordDecision(ctx(NOW), a, release('none'));
  await risk.recordDecision(ctx(NOW), b, release('clean'));
  const report = await risk.report();
  const rule = report.rules.find((r) => r.id === 'R-ALL-DE');
  assert.deepEqual([report.hits, rule?.hits, rule?.neverHit], [0, 0, true]);
  assert.deepEqual(risk.snapshot().parties?.seller(sellerKey(a.merged) as string), {
    inspections: 2,
    findings: 0,
  });
});

test('the rules report keeps rules removed in a newer version and counts outcomes of parcels assessed under the older one', async () => {
  const risk = await openRiskRuntime({ store: openSqliteRiskStore({ memory: true }), base, now: NOW });
  const empty = await risk.report();
  assert.equal(empty.outcomes, 0);
  assert.ok(empty.rules.every((r) => r.selections === 0 && r.hitRate === 0 && r.lift === null));
  await risk.loadRuleSet(redForDe(1, 'R-OLD'), 'analyst:a', NOW);
  await risk.activate('ops-test', 1, 'supervisor:s', NOW);
  const old = consignment(risk, 'csg_old', '30000021');
  await risk.loadRuleSet(redForDe(2, 'R-NEW'), 'analyst:a', NOW);
  await risk.activate('ops-test', 2, 'supervisor:s', NOW);
  await risk.recordDecision(ctx(NOW), old, release('undervalued'));
  const report = await risk.report();
  const byId = new Map(report.rules.map((r) => [r.id, r]));
  assert.deepEqual([byId.get('R-OLD')?.selections, byId.get('R-OLD')?.hits], [1, 1]);
  assert.deepEqual([byId.get('R-NEW')?.selections, byId.get('R-NEW')?.neverHit], [0, true]);
});

/** A risk store whose next `activeRuleSet` after `arm()` answers only when released: a refresh caught mid-read. */
function slowActiveRead(store: RiskStore): { store: RiskStore; arm: () => void; release: () => void } {
  let release = (): void => undefined;
  const gate = new Promise<void>((r) => (release = r));
  let armed = false;
  const wrapped: RiskStore = Object.create(store) as RiskStore;
  wrapped.activeRuleSet = async () => {
    const answer = await store.activeRuleSet();
    if (armed) {
      armed = false;
      await gate;
    }
    return answer;
  };
  return { store: wrapped, arm: () => (armed = true), release: () => release() };
}

test('an activation is not undone by a refresh that read the store before it', async () => {
  const plain = openSqliteRiskStore({ memory: true });
  const risk0 = await openRiskRuntime({ store: plain, base, now: NOW });
  await risk0.loadRuleSet(redForDe(1), 'analyst:a', NOW);
  await risk0.loadRuleSet(redForDe(2, 'R-V2'), 'analyst:a', NOW);
  await risk0.activate('ops-test', 1, 'supervisor:s', NOW);
  const slow = slowActiveRead(plain);
  const risk = await openRiskRuntime({ store: slow.store, base, now: NOW });
  assert.match(risk.snapshot().version, /^ops-test@1;/);
  // The periodic refresh reads "v1 is active" and stalls; meanwhile v2 is activated here.
  slow.arm();
  const refreshing = risk.refresh();
  await new Promise((r) => setImmediate(r));
  await risk.activate('ops-test', 2, 'supervisor:s', NOW);
  assert.match(risk.snapshot().version, /^ops-test@2;/);
  slow.release();
  assert.equal(await refreshing, false);
  assert.match(risk.snapshot().version, /^ops-test@2;/, 'the refresh must not put v1 back');
});

postgresTest(
  'PostgreSQL, two processes: the one that did not activate picks the version and the outcomes up at its next refresh',
  'riskact',
  async (url, schema) => {
    const storeA = await openPostgresRiskStore({ url, schema });
    const storeB = await openPostgresRiskStore({ url, schema });
    try {
      const a = await openRiskRuntime({ store: storeA, base, now: NOW });
      const b = await openRiskRuntime({ store: storeB, base, now: NOW });
      await a.loadRuleSet(redForDe(1), 'analyst:a', NOW);
      assert.equal(await b.refresh(), false, 'a loaded version is not active anywhere');
      await a.activate('ops-test', 1, 'supervisor:s', NOW);
      assert.match(a.snapshot().version, /^ops-test@1;/);
      assert.doesNotMatch(b.snapshot().version, /^ops-test@1;/, 'until its refresh, B assesses with its own');
      assert.equal(await b.refresh(), true);
      assert.match(b.snapshot().version, /^ops-test@1;/);
      const c = consignment(b, 'csg_pg', '30000031');
      assert.equal(c.assessment.risk.ruleSetVersion, 'ops-test@1');

      await a.recordDecision(ctx(NOW), c, release('nothing-found'));
      await a.recordDecision(ctx('2026-11-27T10:30:00.000Z'), c, release('counterfeit'));
      const seller = sellerKey(c.merged) as string;
      assert.deepEqual(a.snapshot().parties?.seller(seller), { inspections: 1, findings: 1 });
      assert.equal(b.snapshot().parties?.seller(seller), undefined);
      await b.refresh();
      assert.deepEqual(b.snapshot().parties?.seller(seller), { inspections: 1, findings: 1 });
      const rule = (await b.report()).rules.find((r) => r.id === 'R-ALL-DE');
      assert.deepEqual([rule?.selections, rule?.hits], [1, 1]);
    } finally {
      await storeA.close();
      await storeB.close();
    }
  },
);
