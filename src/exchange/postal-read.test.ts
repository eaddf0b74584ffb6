import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ConsignmentInput } from '../domain/index.js';
import { intakeErrorCodes, validateConsignment } from '../intake/index.js';
import { loadHs2022 } from '../reference/index.js';
import { generateFlood } from '../sim/index.js';
import { exchangeErrorCodes, parsePostalItemXml, toPostalItemXml } from './index.js';

const sample = (name: string): string =>
  readFileSync(new URL(`../../../docs/formats/samples/${name}`, import.meta.url), 'utf8');
const hs = loadHs2022();
const flood: ConsignmentInput[] = [...generateFlood({ seed: 'exchange', count: 400, day: '2025-03-10' })].map(
  (r) => r.input,
);
const asPostal = (c: ConsignmentInput): ConsignmentInput => ({ ...c, source: 'postal-item' });

const ITEM = sample('postal-itmatt.xml');
const edit = (from: string, to: string): string => {
  assert.ok(ITEM.includes(from), `sample contains ${from}`);
  return ITEM.replace(from, to);
};
const onlyIssues = (xml: string) => {
  const r = parsePostalItemXml(xml);
  return r.issues.concat(r.records.flatMap((x) => x.issues ?? []));
};

describe('parsePostalItemXml', () => {
  it('parses the sample ITMATT document into valid postal-item consignments', () => {
    const r = parsePostalItemXml(ITEM);
    assert.deepEqual(r.issues, []);
    assert.equal(r.records.length, 2);
    for (const rec of r.records) {
      assert.equal(rec.issues, undefined);
      assert.equal(rec.value?.source, 'postal-item');
    }
    const first = r.records[0]?.value;
    assert.equal(first?.transportDocument?.id, 'RR123456785CN');
    assert.equal(first?.items[0]?.netWeightGrams, 300);
    assert.deepEqual(first?.totals?.postalCharges, { amount: '3.20', currency: 'EUR' });
    assert.equal(first?.taxCollection?.number, 'IM2760000001');
  });

  it('names the failing element when an HS code is not an HS 2022 subheading', () => {
    const issues = onlyIssues(edit('<HSCode>611595</HSCode>', '<HSCode>999999</HSCode>'));
    assert.deepEqual(
      issues.map((i) => [i.code, i.path]),
      [['item.hs-code-unknown', '/ITMATT/Item[0]/Content[1]/HSCode']],
    );
  });

  it('reports a weight that is not kilograms with three decimals as postal.number on NetWeight', () => {
    const issues = onlyIssues(edit('<NetWeight>0.300</NetWeight>', '<NetWeight>heavy</NetWeight>'));
    assert.deepEqual(
      issues.map((i) => [i.code, i.path]),
      [['postal.number', '/ITMATT/Item[0]/Content[0]/NetWeight']],
    );
  });

  it('reports an unknown category code, an unexpected element and a missing sender by element', () => {
    const xml = edit('<Category>SALE_OF_GOODS</Category>', '<Category>BRIBE</Category><Colour>red</Colour>');
    const noSender = xml.replace(/<Sender>[\s\S]*?<\/Sender>/, '');
    const paths = onlyIssues(noSender).map((i) => `${i.code} ${i.path}`);
    assert.ok(paths.includes('postal.code /ITMATT/Item[0]/Category'));
    assert.ok(paths.includes('postal.unexpected-element /ITMATT/Item[0]/Colour'));
    assert.ok(paths.includes('source.required-field /ITMATT/Item[0]/Sender'));
  });

  it('maps a wrong S10 check digit to the ItemId element', () => {
    const issues = onlyIssues(edit('<ItemId>RR123456785CN</ItemId>', '<ItemId>RR123456784CN</ItemId>'));
    assert.deepEqual(
      issues.map((i) => [i.code, i.path]),
      [['transport-document.s10-check-digit', '/ITMATT/Item[0]/ItemId']],
    );
  });

  it('refuses a root other than ITMATT and a document without items', () => {
    assert.equal(parsePostalItemXml('<CUSITM><Item/></CUSITM>').issues[0]?.code, 'postal.root');
    assert.equal(parsePostalItemXml('<ITMATT/>').issues[0]?.code, 'postal.no-items');
  });

  it('keeps every emitted code in the exchange or intake registry', () => {
    const xml = edit('<Quantity unit="pcs">2</Quantity>', '<Quantity unit="bag">-2</Quantity>');
    for (const i of onlyIssues(xml))
      assert.ok(i.code in exchangeErrorCodes || i.code in intakeErrorCodes, `${i.code} is registered`);
  });
});

describe('postal round trip', () => {
  it('carries every field of the model: model -> postal XML -> model is lossless', () => {
    fc.assert(
      fc.property(fc.subarray(flood, { minLength: 1, maxLength: 5 }), (inputs) => {
        const r = parsePostalItemXml(toPostalItemXml(inputs), { validate: false });
        assert.deepEqual(r.issues, []);
        assert.deepEqual(
          r.records.map((x) => x.value),
          inputs.map(asPostal),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same record as intake when a valid S10 consignment goes through postal XML', () => {
    const s10 = flood.filter((c) => c.transportDocument?.type === 'S10').map(asPostal);
    assert.ok(s10.length > 20);
    const r = parsePostalItemXml(toPostalItemXml(s10));
    r.records.forEach((rec, i) => {
      const direct = validateConsignment(s10[i], hs);
      if (direct.ok) assert.deepEqual(rec.value, direct.value);
      else assert.equal(rec.value, undefined);
    });
  });

  it("with validate: 'refused', checks only the items the reader refuses; the others are left to the caller", () => {
    // Item 0: an intake issue only (an HS code that is no subheading); item 1 gets a reader issue too.
    const second = ITEM.indexOf('<Item>', ITEM.indexOf('<Item>') + 1);
    const xml =
      ITEM.slice(0, second).replace(/<HSCode>\d+<\/HSCode>/, '<HSCode>999999</HSCode>') +
      ITEM.slice(second)
        .replace(/<HSCode>\d+<\/HSCode>/, '<HSCode>999999</HSCode>')
        .replace('<Category>', '<Colour>red</Colour><Category>');
    const all = parsePostalItemXml(xml);
    const refused = parsePostalItemXml(xml, { validate: 'refused' });
    const unchecked = parsePostalItemXml(xml, { validate: false });
    assert.deepEqual(refused.issues, all.issues);
    // Read without fault: returned as read, for the caller's own validation (which finds intake's issue).
    assert.equal(refused.records[0]!.issues, undefined);
    assert.deepEqual(refused.records[0], unchecked.records[0]);
    assert.ok(all.records[0]!.issues!.some((i) => i.path === '/ITMATT/Item[0]/Content[0]/HSCode'));
    // Refused by the reader: every issue, intake's included, as with full validation.
    assert.deepEqual(refused.records[1], all.records[1]);
    assert.deepEqual(
      refused.records[1]!.issues!.map((i) => `${i.code} ${i.path}`),
      [
        'postal.unexpected-element /ITMATT/Item[1]/Colour',
        'item.hs-code-unknown /ITMATT/Item[1]/Content[0]/HSCode',
      ],
    );
  });
});
