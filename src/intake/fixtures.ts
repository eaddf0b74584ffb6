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

/** The text of a value with its key order and its undefined members (JSON would drop them). */
export const exactText = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x === undefined ? '<undefined>' : typeof x === 'number' ? `n${x}` : x,
  );

/** One edit of a record: set `key` to `value` in the object at `path` (the declarant made if absent). */
export interface RecordEdit {
  path: readonly (string | number)[];
  key: string;
  value: unknown;
}

/** A {@link validRecord} with the edits applied in order (edits under a missing path do nothing). */
export function editedRecord(edits: readonly RecordEdit[]): unknown {
  const r = validRecord() as unknown as Record<string, unknown>;
  for (const e of edits) {
    let at: unknown = r;
    for (const p of e.path)
      at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[p] : undefined;
    if (e.path[0] === 'declarant' && at === undefined)
      r.declarant = at = { name: 'D', address: { country: 'DE' }, status: 'direct' };
    if (at !== null && typeof at === 'object') (at as Record<string | number, unknown>)[e.key] = e.value;
  }
  return r;
}
