/** The risk store contract: the same tests run against every adapter (SQLite, PostgreSQL). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RiskStore } from './risk-port.js';

/** Registers the contract tests for a risk store factory (each test gets a fresh, empty store). */
export function riskStoreContract(name: string, open: () => Promise<RiskStore>): void {
  const doc = { id: 'eu', version: 1, thresholds: { red: 70, yellow: 40, blue: 20 }, rules: [] };

  test(`${name}: rule-set versions are stored once, listed, and one is active at a time`, async () => {
    const s = await open();
    try {
      const meta = { loadedAt: '2026-11-27T10:00:00.000Z', loadedBy: 'analyst:a' };
      assert.equal(await s.saveRuleSet({ id: 'eu', version: 1, document: doc, ...meta }), 'created');
      assert.equal(await s.saveRuleSet({ id: 'eu', version: 1, document: { ...doc }, ...meta }), 'exists');
      const changed = { ...doc, title: 'other' };
      assert.equal(await s.saveRuleSet({ id: 'eu', version: 1, document: changed, ...meta }), 'conflict');
      await s.saveRuleSet({
        id: 'eu',
        version: 2,
        document: { ...doc, version: 2 },
        ...meta,
        loadedAt: '2026-11-27T11:00:00.000Z',
      });
      assert.equal(await s.activeRuleSet(), undefined);
      assert.equal(await s.activateRuleSet('eu', 9, '2026-11-27T12:00:00.000Z', 'a'), false);
      assert.equal(await s.activateRuleSet('eu', 1, '2026-11-27T12:00:00.000Z', 'a'), true);
      assert.equal(await s.activateRuleSet('eu', 2, '2026-11-27T13:00:00.000Z', 'a'), true);
      const list = await s.ruleSets();
      assert.deepEqual(
        list.map((r) => [r.version, r.active]),
        [
          [2, true],
          [1, false],
        ],
      );
      assert.equal(list[1]?.activatedAt, '2026-11-27T12:00:00.000Z');
      assert.deepEqual((await s.activeRuleSet())?.document, { ...doc, version: 2 });
      assert.deepEqual((await s.ruleSet('eu', 1))?.document, doc);
      assert.equal(await s.ruleSet('eu', 3), undefined);
    } finally {
      await s.close();
    }
  });

  test(`${name}: consignee parcels are upserted by consignment, read since an instant, and forgotten`, async () => {
    const s = await open();
    try {
      const row = (id: string, at: string, valueEur = '90.00') => ({
        consignmentId: id,
        consigneeKey: 'anna|10115|DE',
        sellerKey: 's1',
        valueEur,
        at,
      });
      await s.recordParcels([row('c1', '2026-11-26T10:00:00.000Z'), row('c2', '2026-11-27T10:00:00.000Z')]);
      await s.recordParcels([row('c2', '2026-11-27T10:00:00.000Z', '95.00')]);
      const since = await s.parcelsSince('2026-11-27T00:00:00.000Z');
      assert.deepEqual(since, [row('c2', '2026-11-27T10:00:00.000Z', '95.00')]);
      assert.equal(await s.forgetParcelsBefore('2026-11-27T00:00:00.000Z'), 1);
      assert.equal((await s.parcelsSince('')).length, 1);
    } finally {
      await s.close();
    }
  });

  test(`${name}: consignee parcels are read for a set of consignee keys since an instant`, async () => {
    const s = await open();
    try {
      const row = (id: string, key: string, at: string) => ({
        consignmentId: id,
        consigneeKey: key,
        sellerKey: null,
        valueEur: '40.00',
        at,
      });
      await s.recordParcels([
        row('c1', 'anna|10115|DE', '2026-11-27T11:00:00.000Z'),
        row('c2', 'anna|10115|DE', '2026-11-26T09:00:00.000Z'),
        row('c3', 'bert|75001|FR', '2026-11-27T08:00:00.000Z'),
        row('c4', 'carl|1010|AT', '2026-11-27T09:00:00.000Z'),
        row('c5', "o'neil|D02|IE", '2026-11-27T10:00:00.000Z'),
      ]);
      const got = await s.parcelsOfConsignees(
        ['anna|10115|DE', 'bert|75001|FR', "o'neil|D02|IE", 'nobody|0|DE'],
        '2026-11-27T00:00:00.000Z',
      );
      assert.deepEqual(
        got.map((r) => r.consignmentId),
        ['c3', 'c5', 'c1'],
      );
      assert.deepEqual(got[0], row('c3', 'bert|75001|FR', '2026-11-27T08:00:00.000Z'));
      assert.deepEqual(await s.parcelsOfConsignees([], ''), []);
    } finally {
      await s.close();
    }
  });

  test(`${name}: outcomes are kept in order and summed per consignee and seller`, async () => {
    const s = await open();
    try {
      const base = { officer: 'officer:o', random: false, sellerKey: 's1' };
      await s.recordOutcome({
        ...base,
        consignmentId: 'c1',
        finding: 'undervalued',
        at: '2026-11-27T10:00:00.000Z',
        ruleIds: ['R-A', 'undervaluation'],
        consigneeKey: 'k1',
      });
      await s.recordOutcome({
        ...base,
        consignmentId: 'c2',
        finding: 'nothing-found',
        at: '2026-11-27T11:00:00.000Z',
        ruleIds: [],
        consigneeKey: null,
        random: true,
      });
      const all = await s.outcomes();
      assert.deepEqual(
        all.map((o) => [o.consignmentId, o.finding, o.ruleIds, o.random]),
        [
          ['c1', 'undervalued', ['R-A', 'undervaluation'], false],
          ['c2', 'nothing-found', [], true],
        ],
      );
      assert.equal((await s.outcomes('2026-11-27T10:30:00.000Z')).length, 1);
      const h = await s.partyHistory();
      assert.deepEqual(h.consignees.get('k1'), { inspections: 1, findings: 1 });
      assert.deepEqual(h.sellers.get('s1'), { inspections: 2, findings: 1 });
    } finally {
      await s.close();
    }
  });
  test(`${name}: a consignment's latest outcome counts: a correction replaces, a repeat counts once, clean findings are not findings`, async () => {
    const s = await open();
    try {
      const row = (consignmentId: string, finding: string, at: string) => ({
        consignmentId,
        finding,
        at,
        officer: 'officer:o',
        ruleIds: ['R-A'],
        random: false,
        consigneeKey: 'k1',
        sellerKey: 's1',
      });
      assert.equal(await s.recordOutcome(row('c1', 'nothing-found', '2026-11-27T10:00:00.000Z')), undefined);
      const replaced = await s.recordOutcome(row('c1', 'counterfeit', '2026-11-27T11:00:00.000Z'));
      assert.equal(replaced?.finding, 'nothing-found', 'the correction names the outcome it replaces');
      assert.deepEqual(replaced?.ruleIds, ['R-A']);
      await s.recordOutcome(row('c2', 'none', '2026-11-27T12:00:00.000Z'));
      await s.recordOutcome(row('c2', 'none', '2026-11-27T12:05:00.000Z'));
      const all = await s.outcomes();
      assert.deepEqual(
        all.map((o) => [o.consignmentId, o.finding]),
        [
          ['c1', 'counterfeit'],
          ['c2', 'none'],
        ],
      );
      assert.deepEqual(
        (await s.outcomes('2026-11-27T10:30:00.000Z')).map((o) => o.consignmentId),
        ['c1', 'c2'],
        'since applies to the latest outcome',
      );
      const h = await s.partyHistory();
      assert.deepEqual(h.consignees.get('k1'), { inspections: 2, findings: 1 }, '"none" is not a finding');
      assert.deepEqual(h.sellers.get('s1'), { inspections: 2, findings: 1 });
    } finally {
      await s.close();
    }
  });
}
