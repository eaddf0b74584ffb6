/**
 * A parcel valued in a currency the exchange-rate reference has no rate for (Namibian dollar, Venezuelan
 * bolivar) cannot be valued: it is held for information with a plain reason, never released with
 * nothing due. A fund, precious-metal or special unit (XAU, XDR, USN) is not a currency goods are paid
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
