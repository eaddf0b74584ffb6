/** Shared test fixtures for the intake tests: a valid record and the HS nomenclature. */
import { join } from 'node:path';
import { loadHs2022, packageRoot } from '../reference/index.js';

/** The shipped HS 2022 nomenclature. */
export const hs = loadHs2022();

/** Path of a file in docs/formats/samples. */
export const samplePath = (name: string): string => join(packageRoot, 'docs', 'formats', 'samples', name);

/** A fresh, valid postal declaration (plain JSON; callers may mutate it). */
export function validRecord(): Record<string, unknown> & { items: Record<string, unknown>[] } {
  return {
    source: 'declaration',
    externalRef: 'ORD-1',
    category: 'sale',
    transportDocument: { type: 'S10', id: 'RR123456785CN' },
    seller: { name: 'Shenzhen Bright Trading', address: { city: 'Shenzhen', country: 'CN' } },
    consignee: { name: 'Anna Schmidt', address: { city: 'Berlin', postcode: '10115', country: 'DE' } },
    taxCollection: { scheme: 'IOSS', number: 'IM2760000001' },
    items: [
      {
        description: "Men's cotton T-shirt",
        hsCode: '610910',
        quantity: 2,
        unit: 'pcs',
        netWeightGrams: 300,
        value: { amount: '25.90', currency: 'EUR' },
        origin: 'CN',
      },
    ],
    totals: { transport: { amount: '4.50', currency: 'EUR' } },
    dates: { accepted: '2025-03-02T08:00:00Z', expectedArrival: '2025-03-06T06:00:00Z' },
    routing: { dispatchCountry: 'CN', destinationCountry: 'DE', countries: ['CN', 'DE'] },
  };
}
