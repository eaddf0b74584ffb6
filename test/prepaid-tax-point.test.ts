/**
 * The tax declared as paid at checkout (IOSS) is checked on the same tax point as the import
 * assessment: when the carrier's arrival moves the tax point across a VAT rate change, the
 * prepaid-tax indicator is checked again at the rate of the arrival's date (docs/revenue.md).
 * Romania's standard rate went from 19 % to 21 % on 2025-08-01 (shared/data/tax, ibericode).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import type { Assessment, ConsignmentInput } from '../src/domain/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });

/** A EUR 100 IOSS parcel to Romania whose seller declares EUR 18.50 VAT charged at checkout. */
function iossToRomania(serial: string, expectedArrival: string): ConsignmentInput {
  const base = postalItem({}, serial);
  const item = base.items[0]!;
  return {
    ...base,
    consignee: {
      ...base.consignee!,
      address: { street: 'Strada Lunga 5', city: 'Brasov', postcode: '500035', country: 'RO' },
    },
    items: [{ ...item, value: { amount: '100.00', currency: 'EUR' } }],
    totals: { grossWeightGrams: 350 },
    routing: { dispatchCountry: 'CN', destinationCountry: 'RO' },
    taxCollection: { scheme: 'IOSS', number: 'IM6420000001', taxPaid: { amount: '18.50', currency: 'EUR' } },
    dates: { accepted: '2025-07-18T08:00:00Z', expectedArrival },
  };
}

const prepaidHit = (a: Assessment) => a.risk.hits.find((h) => h.id === 'prepaid-tax');
const vat = (a: Assessment) => a.revenue.lines.find((l) => l.type === 'vat');

async function scenario(expectedArrival: string, arrivedAt: string, serial: string) {
  let now = new Date('2025-07-20T10:00:00Z');
  const store = openSqliteStore({ memory: true });
  const a = await buildApp({ store, snapshot: () => snapshot, clock: () => now });
  const created = await a.inject({
    method: 'POST',
    url: '/v1/consignments',
    payload: iossToRomania(serial, expectedArrival),
  });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().consignmentId as string;
  const before = (await a.inject({ method: 'GET', url: `/v1/consignments/${id}` })).json()
    .assessment as Assessment;
  now = new Date(`${arrivedAt.slice(0, 10)}T12:00:00Z`);
  const arrived = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/carrier-events`,
    payload: { type: 'arrived', at: arrivedAt },
  });
  assert.equal(arrived.statusCode, 200, arrived.body);
  const after = (await a.inject({ method: 'GET', url: `/v1/consignments/${id}` })).json()
    .assessment as Assessment;
  await a.close();
  return { before, after };
}

test('an arrival before the rate rise clears the prepaid-tax hit made on the later estimate', async () => {
  // Estimated for 5 August (21 %): 18.50 declared against 21.00 computed is a finding.
  const { before, after } = await scenario('2025-08-05T06:00:00Z', '2025-07-29T08:00:00Z', '60000001');
  assert.deepEqual([vat(before)?.rate, vat(before)?.amount], ['0.21', '21.00']);
  assert.ok(prepaidHit(before), JSON.stringify(before.risk.hits));
  // It arrived on 29 July (19 %): 18.50 against 19.00 is within the tolerance, like the revenue check.
  assert.deepEqual([vat(after)?.rate, vat(after)?.amount], ['0.19', '19.00']);
  assert.equal(prepaidHit(after), undefined, JSON.stringify(after.risk.hits));
  assert.equal(after.risk.score, before.risk.score - prepaidHit(before)!.score);
  assert.equal(after.risk.lane, before.risk.lane);
  assert.equal(after.decision, before.decision);
  assert.ok(
    after.revenue.notes.some((n) => n.startsWith('revenue.prepaid-mismatch: declared IOSS tax paid 18.50')),
  );
});

test('an arrival after the rate rise checks the declared tax against the new rate', async () => {
  // Estimated for 30 July (19 %): no finding; it arrives on 4 August (21 %): 18.50 against 21.00.
  const { before, after } = await scenario('2025-07-30T06:00:00Z', '2025-08-04T08:00:00Z', '60000002');
  assert.equal(prepaidHit(before), undefined);
  assert.equal(vat(after)?.amount, '21.00');
  const hit = prepaidHit(after);
  assert.ok(hit, JSON.stringify(after.risk.hits));
  assert.deepEqual(hit.inputs, { score: 0.24, declared: '18.50', computed: '21.00', currency: 'EUR' });
  assert.equal(after.risk.score, before.risk.score + hit.score);
  assert.equal(after.decision, before.decision);
});

test('tax paid declared in another currency is checked at the exchange rate of the tax point', async () => {
  const now = new Date('2026-03-10T10:00:00Z');
  const store = openSqliteStore({ memory: true });
  const a = await buildApp({ store, snapshot: () => snapshot, clock: () => now });
  const submit = async (serial: string, usd: string) => {
    const base = postalItem({}, serial);
    const payload: ConsignmentInput = {
      ...base,
      items: [{ ...base.items[0]!, value: { amount: '100.00', currency: 'EUR' } }],
      totals: { grossWeightGrams: 350 },
      taxCollection: { scheme: 'IOSS', number: 'IM2760000001', taxPaid: { amount: usd, currency: 'USD' } },
      dates: { accepted: '2026-03-08T08:00:00Z' },
    };
    const res = await a.inject({ method: 'POST', url: '/v1/consignments', payload });
    assert.equal(res.statusCode, 201, res.body);
    return (await a.inject({ method: 'GET', url: `/v1/consignments/${res.json().consignmentId}` })).json()
      .assessment as Assessment;
  };
  try {
    // USD 10.00 declared against EUR 19.00 of IOSS VAT (DE 19 %): EUR 8.94 at the HMRC stand-in rate
    // of the tax point (1 USD = 0.8936054633 EUR).
    const low = await submit('60000011', '10.00');
    assert.equal(low.revenue.prepaid, '19.00');
    assert.equal(low.revenue.prepaidDeclared, '8.94');
    const hit = prepaidHit(low);
    assert.ok(hit, JSON.stringify(low.risk.hits));
    assert.deepEqual(hit.inputs, { score: 1, declared: '8.94', computed: '19.00', currency: 'EUR' });
    assert.match(hit.reason, /declared as 10\.00 USD \(8\.94 EUR at the tax point's rate\), 53% below/);
    // USD 21.26 is EUR 19.00 at that rate: no finding, and no mismatch note.
    const fair = await submit('60000012', '21.26');
    assert.equal(fair.revenue.prepaidDeclared, '19.00');
    assert.equal(prepaidHit(fair), undefined);
    assert.ok(!fair.revenue.notes.some((n) => n.startsWith('revenue.prepaid-mismatch')));
  } finally {
    await a.close();
  }
});
