import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ConsignmentInput } from '../domain/index.js';
import { generateFlood } from '../sim/index.js';
import { loadSnapshot } from '../clearance/index.js';
import {
  checkH7File,
  fromH7,
  fromPlaci,
  importPlaci,
  readH7,
  readPlaci,
  toEntryType86,
  toH7,
  toPlaci,
  validateT86,
  type H7Declaration,
  type PlaciHouse,
  type T86Entry,
} from './index.js';

const sample = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../docs/formats/samples/${name}`, import.meta.url), 'utf8'));
const paths = (r: { ok: boolean; issues?: { path: string }[] }): string[] =>
  r.ok ? [] : (r.issues ?? []).map((i) => i.path);
const snapshot = loadSnapshot({ randomRate: 0 });
const flood: ConsignmentInput[] = [
  ...generateFlood({ seed: 'dataset-read', count: 200, day: '2025-03-10' }),
].map((r) => r.input);

describe('H7 reader', () => {
  it('reads the sample declarations, and H7 -> model -> H7 gives them back unchanged', () => {
    const docs = sample('h7-declarations.json') as H7Declaration[];
    assert.equal(docs.length, 2);
    for (const doc of docs) {
      const r = readH7(doc);
      assert.ok(r.ok, JSON.stringify(r));
      // DE 11 02 follows the acceptance date, which H7 does not carry: everything else comes back.
      assert.deepEqual(
        { ...toH7(fromH7(r.value)), additionalDeclarationType: doc.additionalDeclarationType },
        doc,
      );
    }
    const checked = checkH7File(
      docs,
      { snapshot: () => snapshot },
      { submitterId: 's', now: '2026-11-29T00:00:00Z' },
    );
    assert.ok(checked.ok, JSON.stringify(checked));
    assert.equal(checked.records.length, 2);
  });

  it('model -> H7 JSON -> reader accepts the shape of every flood consignment', () => {
    fc.assert(
      fc.property(fc.constantFrom(...flood), (c) => {
        const r = readH7(JSON.parse(JSON.stringify(toH7(c))));
        // Shape is always right; only the dataset's own rules (H7 eligibility, required elements) may fail.
        if (!r.ok) assert.ok(r.issues.every((i) => i.code !== 'h7.format' || /^DE \d\d \d\d/.test(i.path)));
      }),
      { numRuns: 200 },
    );
  });

  it('names the data element, the JSON field and why for a malformed declaration', () => {
    const doc = structuredClone((sample('h7-declarations.json') as H7Declaration[])[0]!) as unknown as Record<
      string,
      unknown
    >;
    const items = doc.goodsItems as Record<string, unknown>[];
    items[0]!.commodityCode = 610910;
    doc.colour = 'red';
    const r = readH7(doc);
    assert.ok(!r.ok);
    const byPath = new Map(r.issues.map((i) => [i.path, i.message]));
    assert.match(byPath.get('DE 18 09[1]') ?? '', /goodsItems\/0\/commodityCode: Expected string/);
    assert.match(byPath.get('H7/colour') ?? '', /colour: is not an element/);
  });

  it('refuses goods items numbered out of order, naming the item', () => {
    const doc = structuredClone((sample('h7-declarations.json') as H7Declaration[])[0]!);
    doc.goodsItems[0]!.goodsItemNumber = 3;
    assert.deepEqual(paths(readH7(doc)), ['DE 11 03[1]']);
  });

  it('a file with one bad document is refused whole, naming the document', () => {
    const [a, b] = structuredClone(sample('h7-declarations.json') as H7Declaration[]);
    b!.additionalFiscalReference = { role: 'FR5', vatId: 'IM12' };
    const checked = checkH7File(
      [a, b],
      { snapshot: () => snapshot },
      { submitterId: 's', now: '2026-11-29T00:00:00Z' },
    );
    assert.ok(!checked.ok);
    assert.deepEqual(
      checked.issues.map((i) => i.path),
      ['[1] DE 13 16'],
    );
    const empty = checkH7File(
      [],
      { snapshot: () => snapshot },
      { submitterId: 's', now: '2026-11-29T00:00:00Z' },
    );
    assert.ok(!empty.ok && empty.issues[0]?.code === 'dataset.empty');
  });

  it('names intake findings after the H7 element (an HS code that is no HS 2022 subheading)', () => {
    const doc = structuredClone((sample('h7-declarations.json') as H7Declaration[])[0]!);
    doc.goodsItems[0]!.commodityCode = '999999';
    const checked = checkH7File(
      doc,
      { snapshot: () => snapshot },
      { submitterId: 's', now: '2026-11-29T00:00:00Z' },
    );
    assert.ok(!checked.ok);
    assert.ok(
      checked.issues.some((i) => i.path === 'DE 18 09[1]' && i.message.includes('/items/0/hsCode')),
      JSON.stringify(checked.issues),
    );
  });

  it('never throws on hostile input: any JSON value gives a value or issues', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const r = readH7(v);
        if (!r.ok) assert.ok(r.issues.length > 0 && r.issues.every((i) => typeof i.path === 'string'));
      }),
      { numRuns: 300 },
    );
    const doc = (sample('h7-declarations.json') as unknown[])[0] as Record<string, unknown>;
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(doc)), fc.jsonValue({ maxDepth: 3 }), (key, v) => {
        const r = readH7({ ...doc, [key]: v });
        if (!r.ok) assert.ok(r.issues.length > 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('PLACI reader', () => {
  it('reads the sample filing, and PLACI -> model -> PLACI gives it back', () => {
    const p = sample('placi-house.json') as PlaciHouse;
    const r = readPlaci(p);
    assert.ok(r.ok, JSON.stringify(r));
    const back = toPlaci({
      ...fromPlaci(r.value),
      category: 'sale',
      items: fromPlaci(r.value).items.map((i) => ({
        ...i,
        quantity: 1,
        unit: 'pcs' as const,
        netWeightGrams: 0,
        value: { amount: '0', currency: 'EUR' },
        origin: 'CN',
      })),
    });
    assert.deepEqual(back, p);
  });

  it('model -> PLACI -> model keeps every field PLACI carries', () => {
    fc.assert(
      fc.property(fc.constantFrom(...flood), (c) => {
        const back = fromPlaci(JSON.parse(JSON.stringify(toPlaci(c))) as PlaciHouse);
        assert.deepEqual(back.transportDocument, c.transportDocument);
        assert.equal(back.masterReference, c.masterReference);
        assert.equal(back.seller?.name, c.seller?.name);
        assert.equal(back.seller?.address.postcode, c.seller?.address.postcode);
        assert.equal(back.consignee?.address.street, c.consignee?.address.street);
        assert.deepEqual(back.consignee?.id, c.consignee?.id);
        assert.deepEqual(
          back.items.map((i) => [i.description, i.hsCode]),
          c.items.map((i) => [i.description, i.hsCode?.slice(0, 6)]),
        );
        if (c.totals?.grossWeightGrams !== undefined)
          assert.equal(back.totals?.grossWeightGrams, c.totals.grossWeightGrams);
        assert.equal(back.routing.dispatchCountry, c.routing.dispatchCountry);
        assert.equal(back.routing.destinationCountry, c.routing.destinationCountry);
        if (c.routing.countries) assert.deepEqual(back.routing.countries, c.routing.countries);
      }),
      { numRuns: 200 },
    );
  });

  it('names the PLACI element for shape errors and for the dataset rules', () => {
    const p = structuredClone(sample('placi-house.json')) as Record<string, unknown>;
    (p.goodsItems as Record<string, unknown>[])[0]!.hs6 = 610910;
    p.numberOfPackages = 0;
    const r = readPlaci(p);
    assert.ok(!r.ok);
    assert.deepEqual(r.issues.map((i) => i.path).sort(), [
      '/PLACI/GoodsItem[0]/CommodityCode',
      '/PLACI/NumberOfPackages',
    ]);
    const q = structuredClone(sample('placi-house.json')) as PlaciHouse;
    q.goodsItems[0]!.description = 'Gift';
    const out = importPlaci([sample('placi-house.json'), q]);
    assert.ok(!out.ok);
    assert.deepEqual(
      out.issues.map((i) => `${i.code} ${i.path}`),
      ['placi.generic-description [1] /PLACI/GoodsItem[0]/Description'],
    );
  });

  it('never throws on hostile input', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const r = importPlaci(v);
        if (!r.ok) assert.ok(r.issues.length > 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('US Entry Type 86 sample', () => {
  it('is what toEntryType86 writes and passes validation before the suspension', () => {
    const t = sample('t86-entry.json') as T86Entry;
    assert.deepEqual(validateT86(t, { on: '2025-08-28' }), []);
    assert.deepEqual(
      validateT86(t, { on: '2025-08-29' }).map((i) => i.path),
      ['/T86/EntryType'],
    );
    const line = t.lines[0]!;
    const written = toEntryType86(
      {
        source: 'declaration',
        category: 'sale',
        transportDocument: { type: 'S10', id: t.billOfLading! },
        seller: {
          name: t.shipper!.name,
          address: {
            street: t.shipper!.street!,
            city: t.shipper!.city!,
            postcode: t.shipper!.postcode!,
            country: t.shipper!.country,
          },
        },
        consignee: {
          name: t.consignee!.name,
          address: {
            street: t.consignee!.street!,
            city: t.consignee!.city!,
            postcode: t.consignee!.postcode!,
            country: t.consignee!.country,
          },
        },
        items: [
          {
            description: line.description,
            hsCode: line.htsNumber!,
            quantity: line.quantity,
            unit: 'pcs',
            netWeightGrams: 300,
            value: line.fairRetailValue,
            origin: line.countryOfOrigin,
          },
        ],
        routing: { dispatchCountry: 'CN', destinationCountry: 'US', officeOfEntry: t.portOfEntry! },
      },
      { entryNumber: t.entryNumber! },
    );
    assert.deepEqual(written, t);
  });
});
