import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ValidationIssue } from '../domain/index.js';
import { intakeErrorCodes, validateConsignment } from './index.js';
import { hs, validRecord } from './fixtures.js';

type Rec = ReturnType<typeof validRecord>;
const seen = new Set<string>();

function issuesOf(raw: unknown): ValidationIssue[] {
  const r = validateConsignment(raw, hs);
  assert.equal(r.ok, false, 'expected the record to be rejected');
  if (r.ok) return [];
  for (const issue of r.error) seen.add(issue.code);
  return r.error;
}

function expectIssue(raw: unknown, code: string, path: string): ValidationIssue {
  const issues = issuesOf(raw);
  const hit = issues.find((i) => i.code === code && i.path === path);
  assert.ok(hit, `expected ${code} at ${path}, got ${JSON.stringify(issues)}`);
  assert.ok(hit.message.length > 0);
  return hit;
}

const mutate = (f: (r: Rec) => void): Rec => {
  const r = validRecord();
  f(r);
  return r;
};

describe('validateConsignment', () => {
  it('accepts a valid declaration and returns it unchanged apart from normalisation', () => {
    const r = validateConsignment(validRecord(), hs);
    assert.equal(r.ok, true);
    if (r.ok) assert.deepEqual(r.value, validRecord());
  });

  it('normalises codes, HS digits, numeric amounts and the default unit on a copy', () => {
    const raw = mutate((r) => {
      r.transportDocument = { type: 's10', id: ' rr 123456785 cn ' };
      r.routing = { dispatchCountry: 'cn', destinationCountry: ' de', countries: ['cn', 'de'] };
      r.items[0] = {
        ...r.items[0],
        hsCode: '6109.10 00',
        value: { amount: 25.9, currency: 'eur' },
        origin: 'cn',
      };
      delete r.items[0]!.unit;
      r.taxCollection = { scheme: 'ioss', number: 'im 276 000 0001' };
    });
    const before = JSON.stringify(raw);
    const r = validateConsignment(raw, hs);
    assert.equal(JSON.stringify(raw), before, 'input must not be mutated');
    assert.equal(r.ok, true, JSON.stringify(r));
    if (!r.ok) return;
    assert.deepEqual(r.value.transportDocument, { type: 'S10', id: 'RR123456785CN' });
    assert.deepEqual(r.value.routing, {
      dispatchCountry: 'CN',
      destinationCountry: 'DE',
      countries: ['CN', 'DE'],
    });
    const item = r.value.items[0]!;
    assert.equal(item.hsCode, '61091000');
    assert.deepEqual(item.value, { amount: '25.9', currency: 'EUR' });
    assert.equal(item.unit, 'pcs');
    assert.equal(item.origin, 'CN');
    assert.deepEqual(r.value.taxCollection, { scheme: 'IOSS', number: 'IM2760000001' });
  });

  it('allows a missing HS code and documents with value or weight (risk decides, not intake)', () => {
    const raw = mutate((r) => {
      r.category = 'documents';
      delete r.items[0]!.hsCode;
      r.items[0]!.netWeightGrams = 5000;
    });
    assert.equal(validateConsignment(raw, hs).ok, true);
    assert.equal(
      validateConsignment(
        mutate((r) => (r.items[0]!.hsCode = ' ')),
        hs,
      ).ok,
      true,
    );
  });

  it('rejects non-objects at the root', () => {
    for (const raw of [null, 42, 'x', [], [validRecord()], undefined])
      expectIssue(raw, 'input.not-object', '');
  });

  it('rejects an object whose properties cannot be read instead of throwing', () => {
    const hostile = Object.defineProperty({}, 'source', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expectIssue(hostile, 'input.unreadable', '');
  });

  it('rejects prototype-polluting keys anywhere without touching Object.prototype', () => {
    const raw = JSON.parse(
      '{"source":"declaration","items":[{"__proto__":{"polluted":true}}],"constructor":1}',
    );
    const issues = issuesOf(raw);
    assert.deepEqual(
      issues.map((i) => [i.code, i.path]),
      [
        ['input.forbidden-key', '/items/0/__proto__'],
        ['input.forbidden-key', '/constructor'],
      ],
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    expectIssue(
      mutate((r) => (r.seller = JSON.parse('{"prototype":{}}'))),
      'input.forbidden-key',
      '/seller/prototype',
    );
  });

  it('rejects nesting deeper than the schema allows without recursing into it', () => {
    let deep: unknown = 'x';
    for (let k = 0; k < 100_000; k++) deep = { a: deep };
    expectIssue(
      mutate((r) => (r.documents = deep)),
      'input.too-deep',
      '/documents/a/a/a/a',
    );
    expectIssue({ items: [[[[[[1]]]]]] }, 'input.too-deep', '/items/0/0/0/0');
  });

  it('reports every structural problem with a stable code and JSON pointer, one per field', () => {
    const raw = mutate((r) => {
      delete r.category;
      r.source = 'fax';
      r.extra = true;
      r.items.push({
        description: '',
        quantity: 0,
        netWeightGrams: 1.5,
        value: { amount: '1,5' },
        origin: 'CHN',
      });
      r.items[0]!.quantity = '2';
      r.seller = { name: 'x'.repeat(201), address: { country: 'CN' } };
      r.dates = { accepted: '2025-02-30T08:00:00Z' };
      r.additionalProcedureCodes = ['F48', 'F48'];
      r.routing = { dispatchCountry: 'CN', destinationCountry: 'DE', countries: Array(21).fill('CN') };
      r.totals = { grossWeightGrams: -1, transportIncludedInPrice: 'yes' };
    });
    const got = issuesOf(raw).map((i) => `${i.code} ${i.path}`);
    for (const want of [
      'schema.required /category',
      'schema.enum /source',
      'schema.additional-property /extra',
      'schema.type /items/0/quantity',
      'schema.min-length /items/1/description',
      'schema.minimum /items/1/quantity',
      'schema.type /items/1/netWeightGrams',
      'schema.pattern /items/1/value/amount',
      'schema.required /items/1/value/currency',
      'schema.pattern /items/1/origin',
      'schema.max-length /seller/name',
      'schema.format /dates/accepted',
      'schema.unique-items /additionalProcedureCodes',
      'schema.max-items /routing/countries',
      'schema.minimum /totals/grossWeightGrams',
      'schema.type /totals/transportIncludedInPrice',
    ]) {
      assert.ok(got.includes(want), `missing "${want}" in ${JSON.stringify(got)}`);
    }
    const paths = issuesOf(raw).map((i) => i.path);
    assert.equal(new Set(paths).size, paths.length, 'one issue per field path');
  });

  it('reports an empty items list, a too-large quantity and a missing routing', () => {
    expectIssue(
      mutate((r) => (r.items = [])),
      'schema.min-items',
      '/items',
    );
    expectIssue(
      mutate((r) => (r.items[0]!.quantity = 2e9)),
      'schema.maximum',
      '/items/0/quantity',
    );
    expectIssue(
      mutate((r) => delete r.routing),
      'schema.required',
      '/routing',
    );
    expectIssue(
      mutate((r) => (r.items[0]!.unit = 'barrel')),
      'schema.enum',
      '/items/0/unit',
    );
  });

  it('checks S10 format, country and check digit', () => {
    const doc = (id: string) => mutate((r) => (r.transportDocument = { type: 'S10', id }));
    expectIssue(doc('RR12345678CN'), 'transport-document.s10-format', '/transportDocument/id');
    expectIssue(doc('RR123456785QQ'), 'transport-document.s10-format', '/transportDocument/id');
    expectIssue(doc('RR123456784CN'), 'transport-document.s10-check-digit', '/transportDocument/id');
  });

  it('checks air waybill length and the modulus-7 check digit', () => {
    const awb = (id: string) =>
      mutate((r) => {
        r.source = 'carrier-waybill';
        r.transportDocument = { type: 'AWB', id };
      });
    assert.equal(validateConsignment(awb('020-7123 4564'), hs).ok, true);
    expectIssue(awb('0207123456'), 'transport-document.awb-format', '/transportDocument/id');
    expectIssue(awb('02071234565'), 'transport-document.awb-check-digit', '/transportDocument/id');
  });

  it('rejects HS codes that are not HS 2022 subheadings', () => {
    expectIssue(
      mutate((r) => (r.items[0]!.hsCode = '610999')),
      'item.hs-code-unknown',
      '/items/0/hsCode',
    );
    expectIssue(
      mutate((r) => (r.items[0]!.hsCode = '999999')),
      'item.hs-code-unknown',
      '/items/0/hsCode',
    );
  });

  it('rejects unknown countries and currencies', () => {
    expectIssue(
      mutate((r) => (r.items[0]!.origin = 'QQ')),
      'country.unknown',
      '/items/0/origin',
    );
    expectIssue(
      mutate((r) => (r.consignee = { name: 'A', address: { country: 'ZZ' } })),
      'country.unknown',
      '/consignee/address/country',
    );
    expectIssue(
      mutate(
        (r) =>
          (r.routing = { dispatchCountry: 'CN', destinationCountry: 'DE', countries: ['CN', 'XY', 'DE'] }),
      ),
      'country.unknown',
      '/routing/countries/1',
    );
    expectIssue(
      mutate((r) => (r.totals = { transport: { amount: '1', currency: 'ABC' } })),
      'currency.unknown',
      '/totals/transport/currency',
    );
    expectIssue(
      mutate((r) => (r.items[0]!.value = { amount: '1', currency: 'XXX' })),
      'currency.unknown',
      '/items/0/value/currency',
    );
  });

  it('checks tax-collection numbers per scheme', () => {
    const tax = (scheme: string, number: string) => mutate((r) => (r.taxCollection = { scheme, number }));
    const valid: [string, string][] = [
      ['VOEC', '2024567'],
      ['UKVAT', 'GB123456789'],
      ['UKVAT', 'GB123456789012'],
      ['ABN', '51 824 753 556'],
      ['ARN', '123456789012'],
      ['OVR', 'M90371234X'],
      ['OVR', '201912345K'],
      ['NZGST', '123-456-789'],
    ];
    for (const [scheme, number] of valid) {
      const r = validateConsignment(tax(scheme, number), hs);
      assert.equal(r.ok, true, `${scheme} ${number}: ${JSON.stringify(r)}`);
    }
    const invalid: [string, string][] = [
      ['IOSS', 'IM276000001'],
      ['IOSS', 'EU2760000001'],
      ['VOEC', '202456'],
      ['UKVAT', 'GB1234567890'],
      ['ABN', '51824753557'],
      ['ARN', '12345678901'],
      ['OVR', 'X90371234X'],
      ['NZGST', '1234567'],
    ];
    for (const [scheme, number] of invalid) {
      expectIssue(tax(scheme, number), 'tax-collection.number-format', '/taxCollection/number');
    }
  });

  it('requires one currency across items and non-negative amounts', () => {
    const raw = mutate((r) => {
      r.items.push({ ...r.items[0], value: { amount: '3.00', currency: 'USD' } });
      r.totals = {
        transport: { amount: '-0.01', currency: 'EUR' },
        insurance: { amount: '-0.00', currency: 'EUR' },
      };
    });
    expectIssue(raw, 'items.mixed-currency', '/items/1/value/currency');
    expectIssue(raw, 'money.negative', '/totals/transport/amount');
    assert.ok(!issuesOf(raw).some((i) => i.path === '/totals/insurance/amount'), '-0.00 is not negative');
  });

  it('requires dates in order, comparing instants across offsets', () => {
    const dates = (d: Record<string, string>) => mutate((r) => (r.dates = d));
    expectIssue(
      dates({ accepted: '2025-03-06T08:00:00Z', expectedArrival: '2025-03-02T08:00:00Z' }),
      'dates.order',
      '/dates/expectedArrival',
    );
    expectIssue(
      dates({ ordered: '2025-03-02T10:00:00+02:00', accepted: '2025-03-02T07:59:00Z' }),
      'dates.order',
      '/dates/accepted',
    );
    assert.equal(
      validateConsignment(
        dates({ accepted: '2025-03-02T10:00:00+02:00', departure: '2025-03-02T08:00:00Z' }),
        hs,
      ).ok,
      true,
    );
  });

  it('requires routing countries to include dispatch and destination (ICS2)', () => {
    const raw = mutate(
      (r) => (r.routing = { dispatchCountry: 'CN', destinationCountry: 'DE', countries: ['HK'] }),
    );
    const issues = issuesOf(raw).filter((i) => i.code === 'routing.missing-country');
    assert.equal(issues.length, 2);
    assert.ok(issues.every((i) => i.path === '/routing/countries'));
  });

  it('enforces the required fields of each source kind', () => {
    const noParties = mutate((r) => {
      delete r.transportDocument;
      delete r.seller;
      delete r.consignee;
    });
    for (const path of ['/transportDocument', '/seller', '/consignee']) {
      expectIssue(noParties, 'source.required-field', path);
    }
    const postal = mutate((r) => {
      r.source = 'postal-item';
      r.transportDocument = { type: 'HAWB', id: 'H123' };
    });
    expectIssue(postal, 'source.required-field', '/transportDocument/type');
    const order = mutate((r) => {
      r.source = 'platform-order';
      delete r.consignee;
      r.platform = { id: 'shopmall' };
    });
    expectIssue(order, 'source.required-field', '/platform/orderId');
    expectIssue(order, 'source.required-field', '/consignee');
    const payment = mutate((r) => (r.source = 'payment'));
    expectIssue(payment, 'source.required-field', '/platform');
    expectIssue(payment, 'source.required-field', '/payment');
    const okPayment = mutate((r) => {
      r.source = 'payment';
      r.platform = { id: 'shopmall', orderId: 'SM-1' };
      r.payment = { reference: 'PAY-1', amount: { amount: 10, currency: 'EUR' } };
    });
    assert.equal(validateConsignment(okPayment, hs).ok, true);
  });

  it('shows the value received in a schema.format message, cut when long and with control characters escaped', () => {
    const plain = expectIssue(
      mutate((r) => (r.dates = { accepted: '2025-02-30T08:00:00Z' })),
      'schema.format',
      '/dates/accepted',
    );
    assert.match(plain.message, /\(got "2025-02-30T08:00:00Z"\)$/);
    const long = expectIssue(
      mutate((r) => (r.dates = { accepted: `2025-03-01T08:00:00Z\u0007\u007f${'x'.repeat(60)}` })),
      'schema.format',
      '/dates/accepted',
    );
    assert.ok(
      long.message.endsWith(`(got "2025-03-01T08:00:00Z\\u0007\\u007f${'x'.repeat(18)}…")`),
      long.message,
    );
    assert.ok(![...long.message].some((ch) => ch < ' ' || ch === '\u007f'), 'no raw control character');
    const notString = expectIssue(
      mutate((r) => (r.dates = { accepted: 20250301 })),
      'schema.type',
      '/dates/accepted',
    );
    assert.match(notString.message, /got 20250301/);
  });

  it('skips semantic checks on fields that already failed the structural check', () => {
    const issues = issuesOf(mutate((r) => (r.items[0]!.origin = 'qqq')));
    assert.deepEqual(
      issues.map((i) => i.code),
      ['schema.pattern'],
    );
  });

  it('refuses a control character in any text with text.control-character at its field; tab and line breaks are text', () => {
    // A clean shape (the specialised copy) and one with a structural issue too (the general path).
    const nul = mutate((r) => {
      r.items[0]!.description = 'Cotton\u0000 shirt';
      (r.consignee as { name: string }).name = 'Anna\u0007 Schmidt';
      (r.routing as { officeOfEntry?: string }).officeOfEntry = 'DE00\u00004850';
    });
    const issues = issuesOf(nul);
    assert.deepEqual(issues.map((i) => [i.code, i.path]).sort(), [
      ['text.control-character', '/consignee/name'],
      ['text.control-character', '/items/0/description'],
      ['text.control-character', '/routing/officeOfEntry'],
    ]);
    assert.match(issues.find((i) => i.path === '/items/0/description')!.message, /U\+0000 at position 7/);
    const alsoBad = mutate((r) => {
      r.items[0]!.description = 'Cotton\u001f shirt';
      r.items[0]!.origin = 'qqq';
    });
    assert.deepEqual(
      issuesOf(alsoBad)
        .map((i) => [i.code, i.path])
        .sort(),
      [
        ['schema.pattern', '/items/0/origin'],
        ['text.control-character', '/items/0/description'],
      ],
    );
    const multiline = mutate((r) => (r.items[0]!.description = 'Cotton shirt,\n\tshort sleeves\r\n'));
    assert.equal(validateConsignment(multiline, hs).ok, true);
  });

  after(() => {
    for (const code of seen)
      assert.ok(code in intakeErrorCodes, `code ${code} is missing from intakeErrorCodes`);
  });
});

describe('intakeErrorCodes', () => {
  it('documents every validation code the tests produce, and uses dotted lower-case codes', () => {
    for (const code of seen) assert.ok(code in intakeErrorCodes, `undocumented code ${code}`);
    for (const [code, meaning] of Object.entries(intakeErrorCodes)) {
      assert.match(code, /^[a-z0-9-]+\.[a-z0-9-]+$/);
      assert.ok(meaning.length > 10);
    }
  });
});
