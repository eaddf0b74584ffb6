/** Test fixtures for the match module: a valid consignment and source records built from it. */
import type { ConsignmentInput, SourceKind, SourceRecord } from '../domain/index.js';
import { contentHash } from './content-hash.js';

/** A complete, valid two-item consignment as a declaration would send it. */
export function sampleConsignment(source: SourceKind = 'declaration'): ConsignmentInput {
  return {
    source,
    externalRef: 'REF-1',
    transportDocument: { type: 'S10', id: 'RR123456785CN' },
    seller: { name: 'Shenzhen Gadget Co', address: { city: 'Shenzhen', country: 'CN' } },
    consignee: {
      name: 'Anna Müller',
      address: { street: 'Hauptstr. 1', city: 'Berlin', postcode: '10115', country: 'DE' },
    },
    platform: { id: 'shopx', orderId: 'ORD-77', sellerId: 'S-9' },
    payment: { reference: 'PAY-123', provider: 'Alipay', amount: { amount: '42.00', currency: 'EUR' } },
    taxCollection: { scheme: 'IOSS', number: 'IM2760000001' },
    category: 'sale',
    items: [
      {
        description: 'Bluetooth headphones',
        hsCode: '851830',
        quantity: 1,
        unit: 'pcs',
        netWeightGrams: 250,
        value: { amount: '30.00', currency: 'EUR' },
        origin: 'CN',
      },
      {
        description: 'Phone case, silicone',
        hsCode: '39269097',
        quantity: 2,
        unit: 'pcs',
        netWeightGrams: 60,
        value: { amount: '8.00', currency: 'EUR' },
        origin: 'CN',
      },
    ],
    totals: { transport: { amount: '4.00', currency: 'EUR' }, grossWeightGrams: 400 },
    dates: { ordered: '2025-03-01T10:00:00Z', accepted: '2025-03-02T08:00:00Z' },
    routing: { dispatchCountry: 'CN', destinationCountry: 'DE' },
  };
}

/** Wraps data in a source record of its own kind. */
export function recordOf(
  data: ConsignmentInput,
  receivedAt = '2025-03-02T09:00:00Z',
  declarationId = `dcl_${data.source}`,
): SourceRecord {
  return {
    declarationId,
    kind: data.source,
    submitterId: 'opr_test',
    receivedAt,
    hash: contentHash(data),
    data,
  };
}
