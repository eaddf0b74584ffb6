import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ParcelgateError, type ConsignmentInput, type SourceKind } from '../domain/index.js';
import { canonicalJson } from './content-hash.js';
import { mergeSources, pickLatestByKind } from './merge-sources.js';
import { recordOf, sampleConsignment } from './sample-consignment.js';

const KINDS: SourceKind[] = ['declaration', 'postal-item', 'carrier-waybill', 'platform-order', 'payment'];

test('merging a single source returns its data unchanged and no mismatches', () => {
  fc.assert(
    fc.property(fc.constantFrom(...KINDS), (kind) => {
      const data = sampleConsignment(kind);
      const { merged, mismatches } = mergeSources([recordOf(data)]);
      assert.deepEqual(merged, sampleConsignment(kind));
      assert.deepEqual(mismatches, []);
    }),
  );
});

test('several records of one kind merge to the latest received', () => {
  const older = sampleConsignment();
  const newer: ConsignmentInput = { ...sampleConsignment(), category: 'gift' };
  const records = [
    recordOf(newer, '2025-03-02T10:00:00+01:00', 'dcl_b'),
    recordOf(older, '2025-03-02T08:30:00Z', 'dcl_a'),
  ];
  assert.equal(mergeSources(records).merged, newer);
  assert.equal(mergeSources([...records].reverse()).merged, newer);
});

test('records of one kind received at the same instant resolve to the greater declaration id in any order', () => {
  const a = recordOf(sampleConsignment(), '2025-03-02T09:00:00Z', 'dcl_01A');
  const b = recordOf({ ...sampleConsignment(), category: 'gift' }, '2025-03-02T09:00:00Z', 'dcl_01B');
  assert.equal(pickLatestByKind([a, b]).get('declaration'), b);
  assert.equal(pickLatestByKind([b, a]).get('declaration'), b);
});

test('items and values come from the declaration before the carrier, the platform and the payment', () => {
  const declaration = sampleConsignment('declaration');
  const carrier = structuredClone(sampleConsignment('carrier-waybill'));
  carrier.items[0]!.description = 'Headphones (carrier wording)';
  const order = structuredClone(sampleConsignment('platform-order'));
  order.items[0]!.description = 'Headphones (shop wording)';
  const { merged } = mergeSources([recordOf(order), recordOf(carrier), recordOf(declaration)]);
  assert.equal(merged.items, declaration.items);
  assert.equal(merged.source, 'declaration');
  const withoutDeclaration = mergeSources([recordOf(order), recordOf(carrier)]).merged;
  assert.equal(withoutDeclaration.items, carrier.items);
  assert.equal(withoutDeclaration.source, 'carrier-waybill');
});

test('the transport document and routing come from the carrier, the platform block from the platform order', () => {
  const declaration: ConsignmentInput = {
    ...sampleConsignment('declaration'),
    transportDocument: { type: 'OTHER', id: 'DECL-DOC' },
    platform: { id: 'shopx', orderId: 'ORD-77' },
    payment: { reference: 'PAY-123' },
  };
  const carrier: ConsignmentInput = {
    ...sampleConsignment('carrier-waybill'),
    transportDocument: { type: 'S10', id: 'RR123456785CN' },
    masterReference: 'MAWB-176-1',
    routing: { dispatchCountry: 'CN', destinationCountry: 'DE', countries: ['CN', 'HK', 'DE'] },
  };
  const order: ConsignmentInput = {
    ...sampleConsignment('platform-order'),
    platform: { id: 'shopx', orderId: 'ORD-77', sellerId: 'S-9', productUrl: 'https://shopx.example/p/1' },
  };
  const payment: ConsignmentInput = {
    ...sampleConsignment('payment'),
    payment: { reference: 'PAY-123', provider: 'Alipay', paidAt: '2025-03-01T10:01:00Z' },
  };
  const { merged } = mergeSources([
    recordOf(declaration),
    recordOf(carrier),
    recordOf(order),
    recordOf(payment),
  ]);
  assert.equal(merged.transportDocument, carrier.transportDocument);
  assert.equal(merged.masterReference, 'MAWB-176-1');
  assert.equal(merged.routing, carrier.routing);
  assert.equal(merged.platform, order.platform);
  assert.equal(merged.payment, payment.payment);
  assert.equal(merged.items, declaration.items);
});

test('parties come from the declaration, then the carrier, then the platform', () => {
  const declaration = sampleConsignment('declaration');
  delete declaration.seller;
  const carrier = sampleConsignment('carrier-waybill');
  carrier.seller = { name: 'Carrier-known seller', address: { country: 'CN' } };
  carrier.consignee = { name: 'Someone Else', address: { country: 'DE' } };
  const order = sampleConsignment('platform-order');
  const { merged } = mergeSources([recordOf(order), recordOf(carrier), recordOf(declaration)]);
  assert.equal(merged.consignee, declaration.consignee);
  assert.equal(merged.seller, carrier.seller);
});

test('blocks only one source has are taken from that source', () => {
  const declaration = sampleConsignment('declaration');
  delete declaration.payment;
  delete declaration.taxCollection;
  delete declaration.platform;
  const order = sampleConsignment('platform-order');
  const { merged } = mergeSources([recordOf(declaration), recordOf(order)]);
  assert.equal(merged.payment, order.payment);
  assert.equal(merged.taxCollection, order.taxCollection);
  assert.equal(merged.platform, order.platform);
});

test('dates merge field by field: order date from the platform, acceptance date from the carrier', () => {
  const carrier: ConsignmentInput = {
    ...sampleConsignment('carrier-waybill'),
    dates: { ordered: '2025-01-01T00:00:00Z', accepted: '2025-03-03T07:00:00Z' },
  };
  const order: ConsignmentInput = {
    ...sampleConsignment('platform-order'),
    dates: { ordered: '2025-03-01T10:00:00Z', expectedArrival: '2025-01-01T00:00:00Z' },
  };
  const { merged } = mergeSources([recordOf(carrier), recordOf(order)]);
  assert.deepEqual(merged.dates, {
    ordered: '2025-03-01T10:00:00Z',
    accepted: '2025-03-03T07:00:00Z',
    expectedArrival: '2025-01-01T00:00:00Z',
  });
});

test('a merged view has no undefined properties, so it hashes like the same data sent directly', () => {
  const bare: ConsignmentInput = {
    source: 'carrier-waybill',
    category: 'sale',
    items: sampleConsignment().items,
    routing: { dispatchCountry: 'CN', destinationCountry: 'DE' },
  };
  const { merged } = mergeSources([recordOf(bare), recordOf({ ...bare, source: 'payment' })]);
  assert.deepEqual(Object.keys(merged).sort(), ['category', 'items', 'routing', 'source']);
  assert.equal(canonicalJson(merged), canonicalJson(bare));
});

test('mismatches are listed for each pair of differing sources, labelled by kind', () => {
  const declaration = sampleConsignment('declaration');
  const carrier = structuredClone(sampleConsignment('carrier-waybill'));
  carrier.items[0]!.value.amount = '3.00';
  const order = sampleConsignment('platform-order');
  const { mismatches } = mergeSources([recordOf(order), recordOf(carrier), recordOf(declaration)]);
  assert.deepEqual(
    mismatches.map((m) => [m.field, m.between]),
    [
      ['value', ['declaration', 'carrier-waybill']],
      ['value', ['carrier-waybill', 'platform-order']],
    ],
  );
});

test('an older record of a kind does not produce mismatches once a newer one replaces it', () => {
  const stale = structuredClone(sampleConsignment('carrier-waybill'));
  stale.items[0]!.origin = 'VN';
  const fresh = sampleConsignment('carrier-waybill');
  const records = [
    recordOf(stale, '2025-03-02T08:00:00Z', 'dcl_1'),
    recordOf(fresh, '2025-03-02T09:00:00Z', 'dcl_2'),
  ];
  assert.deepEqual(mergeSources([...records, recordOf(sampleConsignment('declaration'))]).mismatches, []);
});

test('merging no sources fails with the match.no-sources code', () => {
  assert.throws(
    () => mergeSources([]),
    (error: unknown) => error instanceof ParcelgateError && error.code === 'match.no-sources',
  );
});

test('the merged view does not depend on the order the sources are given in', () => {
  const records = [
    recordOf(sampleConsignment('declaration')),
    recordOf({ ...sampleConsignment('carrier-waybill'), masterReference: 'M1' }),
    recordOf({ ...sampleConsignment('platform-order'), category: 'gift' }),
    recordOf(sampleConsignment('payment')),
  ];
  const expected = mergeSources(records);
  fc.assert(
    fc.property(fc.shuffledSubarray(records, { minLength: records.length }), (shuffled) => {
      assert.deepEqual(mergeSources(shuffled), expected);
    }),
  );
});
