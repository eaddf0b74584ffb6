/** The revenue ledger port: one contract, run on SQLite and (when configured) PostgreSQL. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import {
  assessRevenue,
  historyOption,
  loadRevenueContext,
  personKeyOf,
  recordAssessment,
  recordReturn,
  relevantDate,
  type RevenueLedger,
} from '../revenue/index.js';
import { openPostgresRevenueLedger } from './postgres/revenue-ledger-postgres.js';
import { bothStores } from './postgres/testing/pg-suite.js';
import { openSqliteRevenueLedger } from './sqlite/revenue-ledger-sqlite.js';

const ctx = loadRevenueContext();
const person = {
  name: 'Li Wei',
  address: { line1: '1 Road', city: 'Shanghai', postcode: '200000', country: 'CN' },
};

function order(
  id: string,
  amount: string,
  to = 'CN',
  extra: Partial<ConsignmentInput> = {},
): ConsignmentInput {
  return {
    source: 'platform-order',
    category: 'sale',
    items: [
      {
        description: 'goods',
        hsCode: '330499',
        quantity: 1,
        unit: 'pcs',
        netWeightGrams: 200,
        value: { amount, currency: to === 'CN' ? 'CNY' : 'EUR' },
        origin: 'FR',
      },
    ],
    routing: { dispatchCountry: 'FR', destinationCountry: to },
    platform: { id: 'tmall-global', orderId: id },
    consignee: { ...person, id: { type: 'PERSONAL', value: '31010119900101123X' } },
    ...extra,
  } as ConsignmentInput;
}

const subject = (id: string, input: ConsignmentInput, revenue: RevenueAssessment, at: string) => ({
  id,
  input,
  revenue,
  assessedAt: at,
  state: 'released',
});

function contract(name: string, open: () => Promise<RevenueLedger & { close(): unknown }>) {
  describe(`revenue ledger on ${name}`, () => {
    it('keeps a person history that puts the third order of the year over the CNY 26,000 quota', async () => {
      const ledger = await open();
      try {
        const at = (d: string) => `2026-${d}T10:00:00Z`;
        const orders: [string, string, string][] = [
          ['o1', '4000.00', '03-01'],
          ['o2', '4900.00', '06-01'],
          ['o3', '4800.00', '06-01'],
          ['o4', '4900.00', '07-01'],
          ['o5', '4900.00', '08-01'],
          ['o6', '4900.00', '09-01'],
        ];
        const models: string[] = [];
        for (const [id, value, day] of orders) {
          const input = order(id, value);
          const date = relevantDate(input, at(day));
          const key = personKeyOf(input)!;
          const totals = await ledger.personTotals(key, 'CN', date, 'CNY', id);
          const a = assessRevenue(input, ctx, at(day), { history: historyOption(totals) });
          models.push(a.collectionModel);
          await recordAssessment(ledger, ctx, subject(id, input, a, at(day)), 'test');
          await recordAssessment(ledger, ctx, subject(id, input, a, at(day)), 'test'); // a retry records nothing twice
        }
        const totals = await ledger.personTotals(
          personKeyOf(order('x', '1'))!,
          'CN',
          '2026-09-01',
          'CNY',
          'x',
        );
        // 4000 + 4900 + 4800 + 4900 + 4900 = 23500; the sixth order passes 26,000: general trade, which
        // does not count toward the cross-border retail limit.
        assert.equal(totals.yearToDate, '23500.00');
        assert.equal(totals.day, '0.00');
        assert.deepEqual(models, [
          'platform-withholding',
          'platform-withholding',
          'platform-withholding',
          'platform-withholding',
          'platform-withholding',
          'border',
        ]);
        assert.equal((await ledger.personTotals('nobody', 'CN', '2026-09-01', 'CNY')).yearToDate, '0');
      } finally {
        await ledger.close();
      }
    });

    it('reports IOSS value and VAT per IOSS number and member state for a month, exactly', async () => {
      const ledger = await open();
      try {
        const ioss = (n: string) => ({ taxCollection: { scheme: 'IOSS' as const, number: n } });
        const cases: [string, string, string, string][] = [
          ['e1', 'DE', 'IM2760000001', '100.10'],
          ['e2', 'DE', 'IM2760000001', '0.20'],
          ['e3', 'FR', 'IM2760000001', '50.00'],
          ['e4', 'DE', 'IM2760000002', '10.00'],
        ];
        for (const [id, to, num, value] of cases) {
          const input = { ...order(id, value, to), ...ioss(num) };
          delete (input as { platform?: unknown }).platform;
          const a = assessRevenue(input, ctx, '2026-11-05T10:00:00Z');
          await recordAssessment(ledger, ctx, subject(id, input, a, '2026-11-05T10:00:00Z'), 'test');
        }
        assert.deepEqual(await ledger.iossMonthly('2026-11'), [
          {
            iossNumber: 'IM2760000001',
            memberState: 'DE',
            consignments: 2,
            intrinsicValueEur: '100.30',
            vatEur: '19.06',
          },
          {
            iossNumber: 'IM2760000001',
            memberState: 'FR',
            consignments: 1,
            intrinsicValueEur: '50.00',
            vatEur: '10.00',
          },
          {
            iossNumber: 'IM2760000002',
            memberState: 'DE',
            consignments: 1,
            intrinsicValueEur: '10.00',
            vatEur: '1.90',
          },
        ]);
        assert.deepEqual(await ledger.iossMonthly('2026-10'), []);
      } finally {
        await ledger.close();
      }
    });

    it('keeps the trail of a returned consignment: assessed, then a refund claim for border tax', async () => {
      const ledger = await open();
      try {
        const input = order('r1', '200.00', 'DE');
        delete (input as { platform?: unknown }).platform;
        const a = assessRevenue(input, ctx, '2025-03-01T10:00:00Z');
        await recordAssessment(ledger, ctx, subject('r1', input, a, '2025-03-01T10:00:00Z'), 'test');
        const back = await recordReturn(ledger, ctx, subject('r1', input, a, '2025-03-01T10:00:00Z'), {
          trigger: 'refused',
          at: '2025-03-09T10:00:00Z',
          actor: 'carrier',
          borderPaid: true,
        });
        assert.equal(back.length, 1);
        const trail = await ledger.trail('r1');
        assert.deepEqual(
          trail.map((t) => [t.kind, t.collectedBy, t.amount]),
          [
            ['assessed', 'border', a.dueAtBorder],
            ['refund', 'border', a.dueAtBorder],
          ],
        );
      } finally {
        await ledger.close();
      }
    });

    it('a partial return unwinds only its items: the buyer keeps counting the kept item, the trail reverses one line', async () => {
      const ledger = await open();
      try {
        const at = '2026-03-01T10:00:00Z';
        const base = order('p1', '4000.00');
        const input = {
          ...base,
          items: [base.items[0]!, { ...base.items[0]!, value: { amount: '1000.00', currency: 'CNY' } }],
        };
        const a = assessRevenue(input, ctx, at);
        assert.equal(a.collectionModel, 'platform-withholding');
        const s = subject('p1', input, a, at);
        await recordAssessment(ledger, ctx, s, 'test');
        const key = personKeyOf(input)!;
        const year = async () => (await ledger.personTotals(key, 'CN', '2026-12-31', 'CNY')).yearToDate;
        assert.equal(await year(), '5000.00');
        const back = await recordReturn(ledger, ctx, s, {
          trigger: 'returned',
          at: '2026-03-09T10:00:00Z',
          actor: 'carrier',
          borderPaid: true,
          items: [1],
        });
        // Only item 1's lines are reversed by the platform that withheld them.
        const item1 = a.lines
          .filter((l) => l.itemIndex === 1 && l.collectedBy === 'platform')
          .reduce((sum, l) => sum + Number(l.amount) * 100, 0);
        assert.deepEqual(
          back.map((e) => [e.kind, e.collectedBy, Math.round(Number(e.amount) * 100)]),
          [['reversal', 'platform', item1]],
        );
        assert.ok(item1 > 0 && item1 < Math.round(Number(a.total) * 100));
        // The buyer's annual total keeps the ¥4,000 item only.
        assert.equal(await year(), '4000.00');
        // Retried: nothing twice.
        await recordReturn(ledger, ctx, s, {
          trigger: 'returned',
          at: '2026-03-09T10:00:00Z',
          actor: 'carrier',
          borderPaid: true,
          items: [1],
        });
        assert.equal((await ledger.trail('p1')).filter((t) => t.kind === 'reversal').length, 1);
      } finally {
        await ledger.close();
      }
    });

    it('two partial returns and the return of the rest on one instant: every line is refunded exactly once', async () => {
      const ledger = await open();
      try {
        const base = order('p2', '200.00', 'DE');
        delete (base as { platform?: unknown }).platform;
        const item = base.items[0]!;
        // Above EUR 150: duty per item (12% and 3.7%, cosmetics 0%), VAT on the whole parcel.
        const input = {
          ...base,
          items: [
            { ...item, hsCode: '610910' },
            { ...item, hsCode: '420222', value: { amount: '80.00', currency: 'EUR' } },
            { ...item, value: { amount: '100.00', currency: 'EUR' } },
          ],
        };
        const a = assessRevenue(input, ctx, '2026-03-01T10:00:00Z');
        assert.equal(a.collectionModel, 'border');
        const s = subject('p2', input, a, '2026-03-01T10:00:00Z');
        await recordAssessment(ledger, ctx, s, 'test');
        const at = '2026-03-09T00:00:00.000Z';
        const fact = { trigger: 'returned' as const, at, actor: 'carrier', borderPaid: true };
        await recordReturn(ledger, ctx, s, { ...fact, items: [0] });
        await recordReturn(ledger, ctx, s, { ...fact, items: [1], earlierItems: [0] });
        await recordReturn(ledger, ctx, s, { ...fact, earlierItems: [0, 1] });
        const refunds = (await ledger.trail('p2')).filter((t) => t.kind !== 'assessed');
        assert.equal(refunds.length, 3, JSON.stringify(refunds));
        const cents = (v: string) => Math.round(Number(v) * 100);
        const border = (pred: (i: number | undefined) => boolean) =>
          a.lines
            .filter((l) => l.collectedBy === 'border' && pred(l.itemIndex))
            .reduce((sum, l) => sum + cents(l.amount), 0);
        assert.deepEqual(
          refunds.map((r) => cents(r.amount)),
          [border((i) => i === 0), border((i) => i === 1), border((i) => i !== 0 && i !== 1)],
        );
        assert.equal(
          refunds.reduce((sum, r) => sum + cents(r.amount), 0),
          border(() => true),
          'together: what was paid at the border, once',
        );
      } finally {
        await ledger.close();
      }
    });

    it('writes a batch with its event-log cursor at once, removes person entries, loads recent ones', async () => {
      const ledger = await open();
      try {
        assert.equal(await ledger.cursor(), 0);
        const person = (id: string, date: string, amount: string) => ({
          personKey: 'PERSONAL:1',
          jurisdiction: 'CN',
          consignmentId: id,
          date,
          amount,
          currency: 'CNY',
        });
        await ledger.writeBatch(
          {
            persons: [person('a', '2025-12-30', '100.00'), person('b', '2026-01-02', '250.50')],
            removePersons: [],
            ioss: [],
            trail: [],
          },
          42,
        );
        assert.equal(await ledger.cursor(), 42);
        // The cursor only moves forward (a slower writer cannot move it back).
        await ledger.writeBatch({ persons: [], removePersons: ['a'], ioss: [], trail: [] }, 40);
        assert.equal(await ledger.cursor(), 42);
        assert.deepEqual(
          (await ledger.personImportsSince('2025-01-01')).map((p) => [p.consignmentId, p.amount]),
          [['b', '250.50']],
        );
        assert.deepEqual(await ledger.personImportsSince('2026-01-03'), []);
        assert.equal(
          (await ledger.personTotals('PERSONAL:1', 'CN', '2026-01-02', 'CNY')).yearToDate,
          '250.50',
        );
      } finally {
        await ledger.close();
      }
    });

    it('reads the entries of a batch of persons since a date in one call; an entry moves with its consignee', async () => {
      const ledger = await open();
      try {
        const entry = (key: string, id: string, date: string, amount: string, jurisdiction = 'CN') => ({
          personKey: key,
          jurisdiction,
          consignmentId: id,
          date,
          amount,
          currency: jurisdiction === 'CN' ? 'CNY' : 'KRW',
        });
        await ledger.writeBatch({
          persons: [
            entry('PERSONAL:1', 'a', '2025-12-30', '100.00'),
            entry('PERSONAL:1', 'b', '2026-01-02', '250.50'),
            entry('PERSONAL:1', 'k', '2026-01-02', '9000', 'KR'),
            entry('PERSONAL:2', 'c', '2026-01-03', '4999.99'),
            entry('PERSONAL:3', 'd', '2026-01-03', '1.00'),
          ],
          removePersons: [],
          ioss: [],
          trail: [],
        });
        const read = async (keys: string[], since: string) =>
          (await ledger.personImportsOf(keys, since))
            .map((p) =>
              [p.personKey, p.jurisdiction, p.consignmentId, p.date, p.amount, p.currency].join(' '),
            )
            .sort();
        assert.deepEqual(await read(['PERSONAL:1', 'PERSONAL:2', 'PERSONAL:9'], '2026-01-01'), [
          'PERSONAL:1 CN b 2026-01-02 250.50 CNY',
          'PERSONAL:1 KR k 2026-01-02 9000 KRW',
          'PERSONAL:2 CN c 2026-01-03 4999.99 CNY',
        ]);
        assert.deepEqual(await read(['PERSONAL:1'], '2025-01-01'), [
          'PERSONAL:1 CN a 2025-12-30 100.00 CNY',
          'PERSONAL:1 CN b 2026-01-02 250.50 CNY',
          'PERSONAL:1 KR k 2026-01-02 9000 KRW',
        ]);
        assert.deepEqual(await read([], '2025-01-01'), []);
        // Re-assessed under another consignee (a declaration naming another buyer): one entry, the new one.
        await ledger.writeBatch({
          persons: [entry('PERSONAL:2', 'b', '2026-01-02', '250.50')],
          removePersons: [],
          ioss: [],
          trail: [],
        });
        assert.deepEqual(await read(['PERSONAL:1', 'PERSONAL:2'], '2026-01-01'), [
          'PERSONAL:1 KR k 2026-01-02 9000 KRW',
          'PERSONAL:2 CN b 2026-01-02 250.50 CNY',
          'PERSONAL:2 CN c 2026-01-03 4999.99 CNY',
        ]);
        assert.equal(
          (await ledger.personImportsSince('2026-01-02')).filter((p) => p.consignmentId === 'b').length,
          1,
        );
      } finally {
        await ledger.close();
      }
    });
  });
}

bothStores('revenue ledger on postgres', contract, {
  sqlite: () => openSqliteRevenueLedger({ memory: true }),
  postgres: (url, freshSchema) => openPostgresRevenueLedger({ url, schema: freshSchema() }),
});
