/**
 * The running totals of migration 78 (src/store/guarantee-reservations.ts) against the sum they
 * replace: after any sequence of batches, debit bookings and ended consignments, each account's total
 * is exactly the sum of its reservations that still count, and a batch is refused exactly when the
 * booked utilisation plus that sum would pass the guarantee. SQLite here; both stores run
 * test/guarantee-processes.test.ts and test/operator-benefits.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { applyMigrations } from './sqlite/migrations.js';
import { reservationColumns, writeGuaranteesSqlite } from './guarantee-reservations.js';
import type { GuaranteeWrites } from './port.js';

const ids = ['csg_a', 'csg_b', 'csg_c', 'csg_d', 'csg_e', 'csg_f'];
const accounts = ['opr_x', 'opr_y'];
const guarantee = '50.00';

type Step =
  | { kind: 'batch'; reserve: { id: string; account: string; cents: number }[]; clear: string[] }
  | { kind: 'debit'; id: string }
  | { kind: 'end'; id: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      reserve: fc.uniqueArray(
        fc.record({
          id: fc.constantFrom(...ids),
          account: fc.constantFrom(...accounts),
          cents: fc.integer({ min: 1, max: 2_000 }),
        }),
        { selector: (r) => r.id, maxLength: 3 },
      ),
      clear: fc.uniqueArray(fc.constantFrom(...ids), { maxLength: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('debit' as const), id: fc.constantFrom(...ids) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('end' as const), id: fc.constantFrom(...ids) }) },
);

function scratch(): Database.Database {
  const db = new Database(':memory:');
  applyMigrations(db);
  const row =
    db.prepare(`INSERT INTO consignments (id, version, state, lane, decision, risk_score, destination,
      office, submitter_id, due_at_border, currency, created_at, updated_at, doc)
    VALUES (?, 1, 'released', 'green', 'release', 0, 'DE', NULL, 'sub', '0', 'EUR',
      '2026-11-30T09:00:00Z', '2026-11-30T09:00:00Z', '{}')`);
  for (const id of ids) row.run(id);
  const doc = db.prepare(`INSERT INTO registry_docs (collection, id, owner, ref, at, version, seq, doc)
    VALUES ('payment-guarantee', ?, ?, NULL, NULL, 1, ?, ?)`);
  accounts.forEach((a, i) =>
    doc.run(a, a, i + 1, JSON.stringify({ amount: guarantee, currency: 'EUR', utilised: { EUR: '5.00' } })),
  );
  return db;
}

/** What still counts per account, by the reservations' own settled flags (the sum the totals replace). */
function liveSums(db: Database.Database): Map<string, Decimal> {
  const rows = db.prepare(`SELECT ${reservationColumns} FROM guarantee_reservations r`).all() as {
    account: string;
    amount: string;
    settled: number;
  }[];
  const sums = new Map<string, Decimal>();
  for (const r of rows)
    if (r.settled === 0) sums.set(r.account, (sums.get(r.account) ?? new Decimal(0)).plus(r.amount));
  return sums;
}

const settledNow = (db: Database.Database, id: string): number =>
  db
    .prepare(`SELECT 1 FROM registry_docs WHERE collection = 'payment-entry' AND id = ?`)
    .get(`${id}:debit`) || db.prepare(`SELECT 1 FROM consignments WHERE id = ? AND state = 'seized'`).get(id)
    ? 1
    : 0;

const stored = (db: Database.Database): Map<string, Decimal> =>
  new Map(
    (
      db.prepare('SELECT account, totals FROM guarantee_reserved').all() as {
        account: string;
        totals: string;
      }[]
    ).map((r) => [r.account, new Decimal((JSON.parse(r.totals) as Record<string, string>).EUR ?? 0)]),
  );

test('the running totals equal the sum of live reservations, and refuse exactly when it would overshoot', () => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
      const db = scratch();
      let seq = 100;
      const write = db.transaction((g: GuaranteeWrites) => writeGuaranteesSqlite(db, g));
      for (const s of steps) {
        if (s.kind === 'debit') {
          db.prepare(
            `INSERT OR IGNORE INTO registry_docs (collection, id, owner, ref, at, version, seq, doc)
            VALUES ('payment-entry', ?, NULL, NULL, NULL, 1, ?, '{}')`,
          ).run(`${s.id}:debit`, ++seq);
          continue;
        }
        if (s.kind === 'end') {
          db.prepare(`UPDATE consignments SET state = 'seized' WHERE id = ?`).run(s.id);
          continue;
        }
        const g: GuaranteeWrites = {
          reserve: s.reserve.map((r) => ({
            consignmentId: r.id,
            account: r.account,
            currency: 'EUR',
            amount: new Decimal(r.cents).div(100).toFixed(2),
          })),
          clear: s.clear.filter((id) => !s.reserve.some((r) => r.id === id)),
        };
        // What the summing check decides: the batch applied to the reservations as they stand.
        const model = new Map(
          (
            db.prepare(`SELECT ${reservationColumns} FROM guarantee_reservations r`).all() as {
              consignmentId: string;
              account: string;
              amount: string;
              settled: number;
            }[]
          ).map((r) => [r.consignmentId, r]),
        );
        for (const id of g.clear) model.delete(id);
        for (const r of g.reserve)
          model.set(r.consignmentId, { ...r, settled: settledNow(db, r.consignmentId) });
        const sumOf = (a: string) =>
          [...model.values()]
            .filter((r) => r.account === a && r.settled === 0)
            .reduce((x, r) => x.plus(r.amount), new Decimal(0));
        const expectRefusal = [...new Set(g.reserve.map((r) => r.account))].some((a) =>
          new Decimal('5.00').plus(sumOf(a)).gt(guarantee),
        );
        const before = liveSums(db);
        let refused = false;
        try {
          write(g);
        } catch (e) {
          assert.equal((e as { code?: string }).code, 'guarantee.headroom-taken');
          refused = true;
        }
        assert.equal(refused, expectRefusal);
        const after = liveSums(db);
        if (refused)
          assert.deepEqual(
            [...after].map(([a, v]) => [a, v.toFixed()]),
            [...before].map(([a, v]) => [a, v.toFixed()]),
            'a refused batch writes nothing',
          );
        else {
          // Each account the batch reserved on has its total exactly: settled rows taken off.
          const totals = stored(db);
          for (const a of new Set(g.reserve.map((r) => r.account)))
            assert.equal(totals.get(a)?.toFixed(), sumOf(a).toFixed(), `total of ${a}`);
        }
      }
      db.close();
    }),
    { numRuns: 150 },
  );
});

test('a refusal happens exactly at the boundary: up to the guarantee passes, one cent more does not', () => {
  const db = scratch();
  const write = db.transaction((g: GuaranteeWrites) => writeGuaranteesSqlite(db, g));
  const r = (id: string, amount: string) => ({
    consignmentId: id,
    account: 'opr_x',
    currency: 'EUR',
    amount,
  });
  write({ reserve: [r('csg_a', '20.00')], clear: [] });
  db.prepare(`UPDATE consignments SET state = 'abandoned' WHERE id = 'csg_a'`).run();
  // csg_a no longer counts: 5.00 booked + 45.00 fits 50.00 exactly.
  write({ reserve: [r('csg_b', '45.00')], clear: [] });
  assert.throws(() => write({ reserve: [r('csg_c', '0.01')], clear: [] }), {
    code: 'guarantee.headroom-taken',
  });
  db.prepare(
    `INSERT INTO registry_docs (collection, id, owner, ref, at, version, seq, doc)
    VALUES ('payment-entry', 'csg_b:debit', NULL, NULL, NULL, 1, 50, '{}')`,
  ).run();
  write({ reserve: [r('csg_c', '0.01')], clear: [] });
  assert.deepEqual(db.prepare('SELECT consignment_id FROM guarantee_reservations').pluck().all(), ['csg_c']);
});
