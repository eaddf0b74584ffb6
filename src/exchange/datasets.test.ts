import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import { generateFlood } from '../sim/index.js';
import { fromH7, toEntryType86, toH7, toPlaci, validateH7, validatePlaci, validateT86 } from './index.js';

const flood: ConsignmentInput[] = [...generateFlood({ seed: 'datasets', count: 300, day: '2025-03-10' })].map(
  (r) => r.input,
);
const paths = (issues: { code: string; path: string }[]): string[] =>
  issues.map((i) => `${i.code} ${i.path}`);

const party = (p: ConsignmentInput['seller']) =>
  p === undefined
    ? undefined
    : {
        name: p.name,
        address: Object.fromEntries(
          Object.entries(p.address).filter(([k]) => ['street', 'city', 'postcode', 'country'].includes(k)),
        ),
        ...(p.id ? { id: p.id } : {}),
      };

/** The fields H7 carries, as they should come back from fromH7. */
function h7Carried(c: ConsignmentInput) {
  return {
    ref: c.externalRef,
    doc: c.transportDocument,
    seller: party(c.seller),
    consignee: party(c.consignee),
    ioss: c.taxCollection?.scheme === 'IOSS' ? c.taxCollection.number : undefined,
    apc: c.additionalProcedureCodes,
    items: c.items.map((i) => [i.description, i.hsCode, i.netWeightGrams, i.value, i.origin]),
    gross: c.totals?.grossWeightGrams,
    transport: c.totals?.insurance === undefined ? c.totals?.transport : undefined,
    routing: [c.routing.dispatchCountry, c.routing.destinationCountry, c.routing.officeOfEntry],
    docs: [c.documents?.invoice, c.documents?.licences, c.documents?.certificates],
  };
}

const base: ConsignmentInput = {
  source: 'declaration',
  category: 'sale',
  transportDocument: { type: 'S10', id: 'RR123456785CN' },
  seller: {
    name: 'Shenzhen Bright',
    address: { street: '88 Keji Road', city: 'Shenzhen', postcode: '518057', country: 'CN' },
  },
  consignee: {
    name: 'Anna Schmidt',
    address: { street: 'Hauptstr. 5', city: 'Berlin', postcode: '10115', country: 'DE' },
  },
  taxCollection: { scheme: 'IOSS', number: 'IM2760000001' },
  additionalProcedureCodes: ['F48'],
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
  routing: { dispatchCountry: 'CN', destinationCountry: 'DE' },
};

describe('H7', () => {
  it('round-trips every field H7 carries: model -> H7 -> model', () => {
    fc.assert(
      fc.property(fc.constantFrom(...flood), (c) => {
        const back = fromH7(toH7(c));
        assert.deepEqual(h7Carried({ ...back, category: c.category }), h7Carried(c));
      }),
      { numRuns: 300 },
    );
  });

  it('accepts a complete IOSS declaration', () => {
    assert.deepEqual(validateH7(toH7(base)), []);
  });

  it('names DE 13 16 when the IOSS number is malformed or missing with F48', () => {
    assert.deepEqual(
      paths(validateH7({ ...toH7(base), additionalFiscalReference: { role: 'FR5', vatId: 'IM12' } })),
      ['h7.format DE 13 16'],
    );
    const { additionalFiscalReference: _drop, ...noIoss } = toH7(base);
    assert.deepEqual(paths(validateH7(noIoss)), ['h7.required DE 13 16']);
  });

  it('names DE 14 03 when tax lines accompany an IOSS number, and omits them in toH7', () => {
    const revenue = {
      lines: [
        {
          type: 'vat',
          base: '30.40',
          rate: '0.19',
          amount: '5.78',
          collectedBy: 'border',
          measure: 'VAT',
          explanation: '',
        },
      ],
    } as unknown as RevenueAssessment;
    assert.deepEqual(toH7(base, revenue).taxes, []);
    const noIoss: ConsignmentInput = {
      ...base,
      taxCollection: undefined,
      additionalProcedureCodes: undefined,
    };
    delete noIoss.taxCollection;
    delete noIoss.additionalProcedureCodes;
    const h7 = toH7(noIoss, revenue);
    assert.deepEqual(h7.taxes, [{ taxType: 'B00', taxBase: '30.40', rate: '0.19', amount: '5.78' }]);
    const bad = { ...h7, additionalFiscalReference: { role: 'FR5' as const, vatId: 'IM2760000001' } };
    assert.deepEqual(paths(validateH7(bad)), ['h7.ioss-tax-lines DE 14 03']);
  });

  it('names the goods item data elements and the EUR 150 ceiling', () => {
    const h7 = toH7({
      ...base,
      items: [{ ...base.items[0]!, hsCode: undefined, value: { amount: '151.00', currency: 'EUR' } }],
    });
    delete h7.goodsItems[0]!.commodityCode;
    assert.deepEqual(paths(validateH7({ ...h7, transportDocument: undefined })), [
      'h7.required DE 12 05',
      'h7.required DE 18 09[1]',
      'h7.not-eligible DE 14 14',
    ]);
  });
});

describe('ICS2 PLACI', () => {
  it('accepts the 7+1 dataset with HS6 per item and names the failing element otherwise', () => {
    assert.deepEqual(validatePlaci(toPlaci(base)), []);
    const p = toPlaci({ ...base, routing: { ...base.routing, countries: ['CN', 'AE'] } });
    p.goodsItems = [{ description: 'Gifts' }];
    delete p.consignor!.street;
    assert.deepEqual(paths(validatePlaci(p)), [
      'placi.required /PLACI/Consignor/Street',
      'placi.generic-description /PLACI/GoodsItem[0]/Description',
      'placi.required /PLACI/GoodsItem[0]/CommodityCode',
      'placi.routing /PLACI/CountriesOfRouting',
    ]);
  });

  it('never throws on any flood consignment', () => {
    for (const c of flood) assert.ok(Array.isArray(validatePlaci(toPlaci(c))));
  });
});

describe('US Entry Type 86', () => {
  const us: ConsignmentInput = {
    ...base,
    taxCollection: undefined,
    consignee: {
      name: 'John Doe',
      address: { street: '1 Main St', city: 'Austin', postcode: '78701', country: 'US' },
    },
    items: [{ ...base.items[0]!, hsCode: '6109100012', value: { amount: '25.90', currency: 'USD' } }],
    routing: { dispatchCountry: 'CN', destinationCountry: 'US', officeOfEntry: '5501' },
  };

  it('accepts a complete entry before the suspension and refuses it from 29 Aug 2025', () => {
    const t = toEntryType86(us);
    assert.deepEqual(validateT86(t, { on: '2025-08-28' }), []);
    assert.deepEqual(paths(validateT86(t, { on: '2025-08-29' })), ['t86.not-eligible /T86/EntryType']);
  });

  it('names the HTS number, the fair retail value and the bill of lading when they fail', () => {
    const t = toEntryType86({ ...us, transportDocument: undefined });
    t.lines[0]!.htsNumber = '610910';
    t.lines[0]!.fairRetailValue = { amount: '900.00', currency: 'USD' };
    assert.deepEqual(paths(validateT86(t)), [
      't86.required /T86/BillOfLading',
      't86.format /T86/Line[0]/HTSNumber',
      't86.not-eligible /T86/FairRetailValue',
    ]);
  });
});
