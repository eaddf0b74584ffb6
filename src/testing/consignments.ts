/** Test fixtures: valid consignment records built by hand (used by tests across folders). */
import type { ConsignmentInput } from '../domain/index.js';

/** Computes the UPU S10 check digit of an 8-digit serial. */
export function s10CheckDigit(serial: string): number {
  const w = [8, 6, 4, 2, 3, 5, 9, 7];
  const s = [...serial].reduce((acc, d, i) => acc + Number(d) * (w[i] ?? 0), 0);
  const c = 11 - (s % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

/** A valid S10 id for a serial, e.g. s10('12345678') = 'RR123456785CN'. */
export const s10 = (serial: string, prefix = 'RR', country = 'CN'): string =>
  `${prefix}${serial}${s10CheckDigit(serial)}${country}`;

/** A valid postal item record CN -> DE with one cotton T-shirt; override any field. */
export function postalItem(overrides: Partial<ConsignmentInput> = {}, serial = '12345678'): ConsignmentInput {
  return {
    source: 'postal-item',
    externalRef: `REF-${serial}`,
    transportDocument: { type: 'S10', id: s10(serial) },
    seller: {
      name: 'Shenzhen Bright Trading Co',
      address: { street: '18 Keji Rd', city: 'Shenzhen', postcode: '518000', country: 'CN' },
    },
    consignee: {
      name: 'Anna Schmidt',
      address: { street: 'Hauptstrasse 5', city: 'Berlin', postcode: '10115', country: 'DE' },
      email: 'anna@example.org',
    },
    platform: { id: 'MKT', orderId: `ORD-${serial}` },
    category: 'sale',
    items: [
      {
        description: "Men's cotton T-shirt, short sleeves, knitted",
        hsCode: '610910',
        quantity: 2,
        unit: 'pcs',
        netWeightGrams: 300,
        value: { amount: '24.00', currency: 'EUR' },
        origin: 'CN',
      },
    ],
    totals: { transport: { amount: '3.50', currency: 'EUR' }, grossWeightGrams: 350 },
    dates: { accepted: '2026-11-24T08:00:00Z', expectedArrival: '2026-11-28T06:00:00Z' },
    routing: { dispatchCountry: 'CN', destinationCountry: 'DE', officeOfEntry: 'DE004850' },
    ...overrides,
  };
}

/**
 * A parcel of loose green tea from China ({@link postalItem} otherwise): a food product, so the default
 * rules hold it for information by its lane (yellow). `overrides` as for {@link postalItem}.
 */
export function teaParcel(serial: string, overrides: Partial<ConsignmentInput> = {}): ConsignmentInput {
  return postalItem(
    {
      items: [
        {
          description: 'Green tea leaves, loose',
          hsCode: '090210',
          quantity: 1,
          unit: 'pcs',
          netWeightGrams: 300,
          value: { amount: '24.00', currency: 'EUR' },
          origin: 'CN',
        },
      ],
      ...overrides,
    },
    serial,
  );
}

/** The buyer and the order of {@link cnPlatformOrder}. */
export interface CnOrder {
  /** The item's value in CNY, e.g. '100.00'. */
  cny: string;
  /** The buyer's PERSONAL id (the per-person CBEC quota is counted on it). */
  buyerId: string;
  buyerName?: string;
  /** Day accepted and expected (YYYY-MM-DD), 2026-03-02 unless given. */
  day?: string;
}

/**
 * A CBEC platform order from France to a buyer in Shanghai: one 800 g tin of infant formula
 * (HS 190110: duty 15%, VAT 13%) worth `cny`, on the S10 item of `serial`.
 */
export function cnPlatformOrder(serial: string, o: CnOrder): ConsignmentInput {
  const day = o.day ?? '2026-03-02';
  return postalItem(
    {
      transportDocument: { type: 'S10', id: s10(serial, 'RR', 'FR') },
      consignee: {
        name: o.buyerName ?? 'Li Wei',
        address: { street: '1 Nanjing Rd', city: 'Shanghai', postcode: '200000', country: 'CN' },
        id: { type: 'PERSONAL', value: o.buyerId },
      },
      items: [
        {
          description: 'Infant formula milk powder, 800 g tin',
          hsCode: '190110',
          quantity: 1,
          unit: 'pcs',
          netWeightGrams: 800,
          value: { amount: o.cny, currency: 'CNY' },
          origin: 'FR',
        },
      ],
      totals: { grossWeightGrams: 900 },
      dates: { accepted: `${day}T01:00:00Z`, expectedArrival: `${day}T06:00:00Z` },
      routing: { dispatchCountry: 'FR', destinationCountry: 'CN' },
    },
    serial,
  );
}
