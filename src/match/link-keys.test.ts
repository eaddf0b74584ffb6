import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ConsignmentInput } from '../domain/index.js';
import { findParcel, linkKeys, normaliseTransportDocument, sameParcel } from './link-keys.js';
import { sampleConsignment } from './sample-consignment.js';

function withDoc(
  type: 'S10' | 'AWB' | 'HAWB' | 'OTHER',
  id: string,
  base = sampleConsignment(),
): ConsignmentInput {
  return { ...base, transportDocument: { type, id } };
}

function without<K extends keyof ConsignmentInput>(input: ConsignmentInput, ...keys: K[]): ConsignmentInput {
  const copy = { ...input };
  for (const key of keys) delete copy[key];
  return copy;
}

test('link keys list transport document, platform order and payment, strongest first', () => {
  assert.deepEqual(linkKeys(sampleConsignment()), [
    'td:S10:RR123456785CN',
    'order:shopx:ORD-77',
    'pay:alipay:PAY-123',
  ]);
});

test('an S10 id is upper-cased and loses its spaces', () => {
  assert.deepEqual(linkKeys(withDoc('S10', ' rr 123 456 785 cn'))[0], 'td:S10:RR123456785CN');
});

test('an air waybill loses spaces and the hyphen after the airline prefix', () => {
  assert.equal(linkKeys(withDoc('AWB', '176-1234 5675'))[0], 'td:AWB:17612345675');
});

test('a house waybill keeps its hyphens but not its spaces or case', () => {
  assert.equal(linkKeys(withDoc('HAWB', 'hk-99 001'))[0], 'td:HAWB:HK-99001');
});

test('an id of S10 shape labelled OTHER links as an S10 postal item', () => {
  assert.deepEqual(normaliseTransportDocument({ type: 'OTHER', id: 'rr123456785cn' }), {
    type: 'S10',
    id: 'RR123456785CN',
  });
});

test('the platform id is case-insensitive and a payment without provider has an empty provider', () => {
  const input: ConsignmentInput = {
    ...without(sampleConsignment(), 'transportDocument'),
    platform: { id: ' ShopX ', orderId: ' ORD-77 ' },
    payment: { reference: 'PAY-9' },
  };
  assert.deepEqual(linkKeys(input), ['order:shopx:ORD-77', 'pay::PAY-9']);
});

test('a record with no identifiers has no link keys', () => {
  assert.deepEqual(linkKeys(without(sampleConsignment(), 'transportDocument', 'platform', 'payment')), []);
});

test('link keys of a transport document ignore case and spacing of its id', () => {
  const id = fc.stringMatching(/^[A-Z]{2}\d{9}[A-Z]{2}$/);
  fc.assert(
    fc.property(id, fc.array(fc.nat(13), { maxLength: 4 }), fc.boolean(), (s10, cuts, lower) => {
      let messy = lower ? s10.toLowerCase() : s10;
      for (const cut of cuts) messy = `${messy.slice(0, cut)} ${messy.slice(cut)}`;
      assert.deepEqual(linkKeys(withDoc('S10', messy)), linkKeys(withDoc('S10', s10)));
    }),
  );
});

test('two parcels of one order with different transport documents are not the same parcel', () => {
  const first = withDoc('S10', 'RR123456785CN');
  const second = withDoc('S10', 'RR987654325CN');
  assert.equal(sameParcel(first, second), false);
  assert.equal(sameParcel(first, first), true);
});

test('the same transport document is the same parcel even when spelt differently', () => {
  assert.equal(sameParcel(withDoc('AWB', '176-12345675'), withDoc('AWB', '176 1234 5675')), true);
});

test("a document labelled OTHER is the carrier's document of the same id, not another parcel", () => {
  const waybill = withDoc('HAWB', 'H100004', sampleConsignment('carrier-waybill'));
  const order = withDoc('OTHER', ' h100004 ', sampleConsignment('platform-order'));
  assert.equal(sameParcel(order, waybill), true);
  assert.equal(sameParcel(waybill, order), true);
  assert.equal(sameParcel(withDoc('OTHER', '176-1234 5675'), withDoc('AWB', '17612345675')), true);
  // The order split over two waybills: the OTHER id picks its own parcel.
  const second = withDoc('HAWB', 'H100005', sampleConsignment('carrier-waybill'));
  assert.deepEqual(findParcel(order, [second, waybill]), { kind: 'existing', index: 1 });
  // Different ids, or two named kinds, stay different parcels.
  assert.equal(sameParcel(withDoc('OTHER', 'H100005'), waybill), false);
  assert.equal(sameParcel(withDoc('AWB', '17612345675'), withDoc('HAWB', '17612345675')), false);
  assert.equal(sameParcel(withDoc('OTHER', 'X1'), withDoc('OTHER', 'X2')), false);
});

test('an order record without a transport document joins the parcel carrying that order', () => {
  const order = without(sampleConsignment('platform-order'), 'transportDocument');
  assert.equal(sameParcel(order, sampleConsignment('carrier-waybill')), true);
  assert.equal(sameParcel(sampleConsignment('carrier-waybill'), order), true);
});

test('records naming different orders are different parcels even when the payment is shared', () => {
  const a = without(sampleConsignment('platform-order'), 'transportDocument');
  const b: ConsignmentInput = { ...a, platform: { id: 'shopx', orderId: 'ORD-78' } };
  assert.equal(sameParcel(a, b), false);
});

test('a payment record without order id joins a parcel through the payment reference', () => {
  const payment = without(sampleConsignment('payment'), 'transportDocument', 'platform');
  assert.equal(sameParcel(payment, sampleConsignment('carrier-waybill')), true);
  const otherPayment: ConsignmentInput = {
    ...payment,
    payment: { reference: 'PAY-999', provider: 'alipay' },
  };
  assert.equal(sameParcel(otherPayment, sampleConsignment('carrier-waybill')), false);
});

test('records sharing no key are never the same parcel', () => {
  const bare = without(sampleConsignment(), 'transportDocument', 'platform', 'payment');
  assert.equal(sameParcel(bare, bare), false);
});

test('sameParcel is symmetric', () => {
  const variants = [
    sampleConsignment(),
    withDoc('S10', 'RR987654325CN'),
    without(sampleConsignment(), 'transportDocument'),
    without(sampleConsignment(), 'transportDocument', 'platform'),
    { ...without(sampleConsignment(), 'transportDocument'), platform: { id: 'shopx', orderId: 'ORD-78' } },
    without(sampleConsignment(), 'platform', 'payment'),
    withDoc('OTHER', 'H100004'),
    withDoc('HAWB', 'h100004'),
    withDoc('AWB', '17612345675'),
    withDoc('OTHER', '176-1234-5675'),
  ];
  fc.assert(
    fc.property(fc.constantFrom(...variants), fc.constantFrom(...variants), (a, b) => {
      assert.equal(sameParcel(a, b), sameParcel(b, a));
    }),
  );
});

test('findParcel reports a new parcel, an existing one, or an order split over several parcels', () => {
  const first = withDoc('S10', 'RR123456785CN');
  const second = withDoc('S10', 'RR987654325CN');
  const orderOnly = without(sampleConsignment('platform-order'), 'transportDocument');
  assert.deepEqual(findParcel(first, []), { kind: 'new' });
  assert.deepEqual(findParcel(second, [first, second]), { kind: 'existing', index: 1 });
  assert.deepEqual(findParcel(orderOnly, [first, second]), { kind: 'ambiguous', indexes: [0, 1] });
});
