/**
 * A parcel valued in a currency the exchange-rate reference has no rate for (Namibian dollar, Venezuelan
 * bolivar) cannot be valued: it is held for information with a plain reason, never released with
 * nothing due. So is a parcel whose duty and tax cannot be assessed for any other reason (an amount
 * beyond the exact range, a destination without a revenue profile), while a quantity with more decimals
 * than the engine holds is assessed, not left unassessed. A fund, precious-metal or special unit (XAU, XDR, USN) is not a currency goods are paid
 * in and is refused at intake.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSnapshot, submitBatch, type PipelineDeps } from '../src/clearance/index.js';
import { validateConsignment } from '../src/intake/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const ctx = { actor: 'post-de', submitterId: 'post-de', now: '2026-11-27T10:00:00.000Z' };

const valuedIn = (currency: string, serial: string) =>
  postalItem({ items: [{ ...postalItem().items[0]!, value: { amount: '50000.00', currency } }] }, serial);

test('a value with no exchange rate is held for information with the reason, not released with nothing due', async () => {
  const d: PipelineDeps = { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
  const [r] = await submitBatch(ctx, [valuedIn('NAD', '31313131')], d);
  assert.equal(r?.status, 'created');
  assert.equal(r?.decision, 'hold-for-information');
  const c = (await d.store.get(r!.consignmentId!))!;
  const hit = c.assessment.risk.hits.find((h) => h.id === 'revenue-not-assessed');
  assert.ok(hit, JSON.stringify(c.assessment.risk.hits));
  assert.match(hit.reason, /no NAD->EUR rate/);
  assert.equal(c.assessment.risk.lane, 'yellow');
});

test('a parcel whose values convert is not held for it', async () => {
  const d: PipelineDeps = { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
  const [r] = await submitBatch(ctx, [valuedIn('USD', '32323232')], d);
  const c = (await d.store.get(r!.consignmentId!))!;
  assert.equal(
    c.assessment.risk.hits.some((h) => h.id === 'revenue-not-assessed'),
    false,
  );
});

test('fund, precious-metal and special units are refused at intake', () => {
  for (const currency of ['XAU', 'XAG', 'XDR', 'XSU', 'XUA', 'XBA', 'USN', 'BOV', 'CLF', 'UYI']) {
    const v = validateConsignment(valuedIn(currency, '33333333'), snapshot.hs);
    assert.equal(v.ok, false, currency);
    const issue = !v.ok ? v.error[0] : undefined;
    assert.equal(issue?.code, 'currency.not-for-payment', currency);
    assert.equal(issue?.path, '/items/0/value/currency');
  }
  assert.equal(validateConsignment(valuedIn('NAD', '33333333'), snapshot.hs).ok, true);
});

const heldFor = async (input: ReturnType<typeof postalItem>, reason: RegExp) => {
  const d: PipelineDeps = { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
  const [r] = await submitBatch(ctx, [input], d);
  assert.equal(r?.status, 'created', JSON.stringify(r));
  assert.equal(r?.decision, 'hold-for-information');
  const c = (await d.store.get(r!.consignmentId!))!;
  const hit = c.assessment.risk.hits.find((h) => h.id === 'revenue-not-assessed');
  assert.ok(hit, JSON.stringify(c.assessment.risk.hits));
  assert.match(hit.reason, reason);
  assert.equal(c.assessment.revenue.dueAtBorder, '0.00');
};

test('an amount beyond the exact range (10^9 units) is held for information, not released with nothing due', async () => {
  const over = postalItem(
    { items: [{ ...postalItem().items[0]!, value: { amount: '1000000000.01', currency: 'EUR' } }] },
    '34343434',
  );
  await heldFor(over, /beyond the exact range/);
});

test('a destination without a revenue profile is held for information with the reason', async () => {
  await heldFor(
    postalItem(
      {
        consignee: {
          name: 'Ana Souza',
          address: { street: 'Rua Augusta 100', city: 'Sao Paulo', postcode: '01304-000', country: 'BR' },
        },
        routing: { dispatchCountry: 'CN', destinationCountry: 'BR' },
      },
      '35353535',
    ),
    /no revenue profile for BR/,
  );
});

test('a quantity with more than 6 decimals is assessed as the quantity rounded to 6', async () => {
  const saffron = (quantity: number, serial: string) =>
    postalItem(
      {
        items: [
          {
            description: 'Saffron, neither crushed nor ground, in a glass jar',
            hsCode: '091020',
            quantity,
            unit: 'kg',
            netWeightGrams: 333,
            value: { amount: '5000.00', currency: 'EUR' },
            origin: 'IR',
          },
        ],
      },
      serial,
    );
  const assessed = async (input: ReturnType<typeof postalItem>) => {
    const d: PipelineDeps = { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
    const [r] = await submitBatch(ctx, [input], d);
    assert.equal(r?.status, 'created', JSON.stringify(r));
    const c = (await d.store.get(r!.consignmentId!))!;
    assert.equal(
      c.assessment.risk.hits.some((h) => h.id === 'revenue-not-assessed'),
      false,
      JSON.stringify(c.assessment.revenue.notes),
    );
    return c.assessment.revenue;
  };
  const seven = await assessed(saffron(0.3333333, '36363636'));
  const six = await assessed(saffron(0.333333, '37373737'));
  assert.ok(seven.lines.length > 0);
  assert.notEqual(seven.dueAtBorder, '0.00');
  assert.deepEqual(seven.lines, six.lines);
  // 0.000246 kg: a 6-decimal quantity whose binary product with 10^6 is not a whole number.
  assert.ok((await assessed(saffron(0.000246, '38383838'))).lines.length > 0);
});
