/** Tariff schedule measures, lookup precedence and the CSV importer. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { amount, fixed } from './money.js';
import { parseTariffCsv, rateProblem } from './tariff-csv.js';
import { loadRevenueProfiles } from './load-context.js';
import { applyMeasure, compileSchedule, type ItemFacts } from './tariff-schedule.js';

const facts = (base: string, quantity = '1', kg = '0.5'): ItemFacts => ({
  base: amount(base),
  quantity: amount(quantity),
  netKg: amount(kg),
  grossKg: amount(kg),
});

describe('tariff measures', () => {
  it('adds ad valorem and specific parts into a compound duty', () => {
    const m = applyMeasure(
      { adValorem: '0.1', specific: { amount: '2', per: 'unit' } },
      facts('100', '3'),
      'EUR',
    );
    assert.equal(fixed(m.amount, 2), '16.00');
  });

  it('raises a duty to its minimum and caps it at its maximum', () => {
    assert.equal(
      fixed(applyMeasure({ adValorem: '0.1', minimum: '5' }, facts('10'), 'EUR').amount, 2),
      '5.00',
    );
    assert.equal(
      fixed(applyMeasure({ adValorem: '0.1', maximum: '5' }, facts('100'), 'EUR').amount, 2),
      '5.00',
    );
  });

  it('charges a specific duty per kg', () => {
    assert.equal(
      fixed(
        applyMeasure({ specific: { amount: '4', per: 'kg-net' } }, facts('1', '1', '2.25'), 'EUR').amount,
        2,
      ),
      '9.00',
    );
  });

  it('lets the most specific prefix win and an origin preference beat the general line', () => {
    const s = compileSchedule({
      version: 't@1',
      currency: 'EUR',
      description: 't',
      default: { adValorem: '0.04', verified: false, source: 'd' },
      measures: [
        { prefix: '61', adValorem: '0.12', description: 'ch61', verified: true, source: 's' },
        { prefix: '6109', adValorem: '0.1', description: 'tees', verified: true, source: 's' },
        {
          prefix: '6109',
          origins: ['US'],
          adValorem: '0',
          description: 'tees US',
          verified: true,
          source: 's',
        },
      ],
      additional: [],
    });
    assert.equal(s.lookup('610910', 'CN').measure?.adValorem, '0.1');
    assert.equal(s.lookup('610910', 'US').measure?.adValorem, '0');
    assert.equal(s.lookup('611010', 'CN').measure?.adValorem, '0.12');
    assert.equal(s.lookup('999999', 'CN').measure, undefined);
  });
});

describe('parseTariffCsv', () => {
  const opts = { version: 'csv@1', currency: 'CAD' };
  it('imports ad valorem, compound and preference lines', () => {
    const csv = [
      'prefix,origins,ad_valorem,specific_amount,specific_per,minimum,description,verified,source',
      '6109,,0.18,,,,T-shirts,false,',
      '6109,US;MX,0,,,,T-shirts CUSMA,true,CBSA',
      '0406,,0.05,2.5,kg-net,1,Cheese,false,',
    ].join('\n');
    const r = parseTariffCsv(csv, opts);
    assert.ok(r.ok);
    assert.equal(r.schedule.measures.length, 3);
    assert.deepEqual(r.schedule.measures[1]?.origins, ['US', 'MX']);
    assert.deepEqual(r.schedule.measures[2]?.specific, { amount: '2.5', per: 'kg-net' });
  });

  it('reports every bad cell with its line, column and code', () => {
    const csv = [
      'prefix,ad_valorem,specific_amount,specific_per,description',
      '61a,0.1,,,x',
      '6109,abc,,,y',
      '6110,,3,box,z',
      '6111,,,,',
    ].join('\n');
    const r = parseTariffCsv(csv, opts);
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.line, i.column, i.code]),
      [
        [2, 'prefix', 'tariff-csv.prefix'],
        [3, 'ad_valorem', 'tariff-csv.rate'],
        // The duty is there (specific_amount): only specific_per is wrong, no tariff-csv.no-duty.
        [4, 'specific_per', 'tariff-csv.per'],
        [5, 'ad_valorem', 'tariff-csv.no-duty'],
        [5, 'description', 'tariff-csv.description'],
      ],
    );
  });

  it('reports a broken quote with its line and column and goes on to the other lines', () => {
    const csv = [
      'prefix,ad_valorem,description',
      '6109,0.08,a',
      '61"10,0.1,b',
      '6111,"0.1"x,c',
      '61a,0.1,d',
      '',
      '6113,0.1,"unclosed',
      '6114,12,e',
    ].join('\n');
    const r = parseTariffCsv(csv, opts);
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.line, i.column, i.code]),
      [
        [3, 'prefix', 'tariff-csv.syntax'],
        [4, 'ad_valorem', 'tariff-csv.syntax'],
        [5, 'prefix', 'tariff-csv.prefix'],
        [7, 'description', 'tariff-csv.syntax'],
        [8, 'ad_valorem', 'tariff-csv.rate'],
      ],
    );
    assert.match(r.issues[0]!.message, /\(column 1, prefix\)$/);
    assert.match(r.issues[3]!.message, /never closed/);
    // A quoted field over two lines and blank lines keep the line numbers of the file.
    const multi = parseTariffCsv(
      'prefix,ad_valorem,description\n6109,0.08,"two\nlines"\n\n61x,0.1,b\n',
      opts,
    );
    assert.ok(!multi.ok);
    assert.deepEqual(
      multi.issues.map((i) => [i.line, i.column, i.code]),
      [[5, 'prefix', 'tariff-csv.prefix']],
    );
  });

  it('rejects unknown and missing columns before reading rows', () => {
    const r = parseTariffCsv('prefix,rate\n6109,0.1', opts);
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => i.code),
      ['tariff-csv.unknown-column', 'tariff-csv.missing-column'],
    );
  });

  it('refuses a rate written as a percentage, naming the fraction to write, and accepts a duty above 100%', () => {
    const csv = [
      'prefix,ad_valorem,vat_rate,excise_rate,description',
      '6109,12,,,a',
      '6110,0.12,20,,b',
      '6111,0.1,1,,c',
      '6112,7.5%,,,d',
      '6113,600,,,e',
      '6114,0.1,,250,f',
      '6115,0.1,0.2x,,g',
    ].join('\n');
    const r = parseTariffCsv(csv, opts);
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.line, i.column, i.code]),
      [
        [2, 'ad_valorem', 'tariff-csv.rate'],
        [3, 'vat_rate', 'tariff-csv.rate'],
        [4, 'vat_rate', 'tariff-csv.rate'],
        [5, 'ad_valorem', 'tariff-csv.rate'],
        [6, 'ad_valorem', 'tariff-csv.rate'],
        [7, 'excise_rate', 'tariff-csv.rate'],
        [8, 'vat_rate', 'tariff-csv.rate'],
      ],
    );
    const says = (line: number) => r.issues.find((i) => i.line === line)?.message ?? '';
    assert.match(says(2), /"12" looks like a percentage: write 12% as 0\.12 \(.*from 0 to 5/);
    assert.match(
      says(3),
      /"20" looks like a percentage: write 20% as 0\.2 \(a VAT rate .* not including, 1\)/,
    );
    assert.match(says(4), /"1" looks like a percentage: write 1% as 0\.01/);
    assert.match(says(5), /"7\.5%" looks like a percentage: write 7\.5% as 0\.075/);
    assert.match(says(6), /"600" is too high \(ad valorem and excise rates are fractions from 0 to 5/);
    assert.match(says(7), /write 250% as 2\.5/);
    assert.match(says(8), /"0\.2x" is not a decimal rate/);
    const ok = parseTariffCsv(
      'prefix,ad_valorem,vat_rate,excise_rate,description\n6109,1.45,0.999999,5,a\n6110,5,0,0,b\n',
      opts,
    );
    assert.ok(ok.ok, JSON.stringify(!ok.ok && ok.issues));
    assert.deepEqual(
      ok.schedule.measures.map((m) => [m.adValorem, m.vatRate, m.exciseRate]),
      [
        ['1.45', '0.999999', '5'],
        ['5', '0', '0'],
      ],
    );
  });

  it('accepts every duty fraction from 0 to 5 and VAT fraction below 1, and names any whole percentage', () => {
    const micros = (max: number) =>
      fc.integer({ min: 0, max }).map((n) => (n / 1e6).toFixed(6).replace(/\.?0+$/, '') || '0');
    fc.assert(
      fc.property(micros(5e6), micros(1e6 - 1), (duty, vat) => {
        assert.equal(rateProblem(duty, 'duty'), undefined, duty);
        assert.equal(rateProblem(vat, 'vat'), undefined, vat);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), (n) => {
        assert.match(rateProblem(String(n), 'vat') ?? '', new RegExp(`write ${n}% as ${n / 100} `));
        if (n > 5)
          assert.match(rateProblem(String(n), 'duty') ?? '', new RegExp(`write ${n}% as ${n / 100} `));
      }),
    );
  });

  it('refuses origins that are not assigned ISO 3166-1 alpha-2 codes', () => {
    const r = parseTariffCsv(
      'prefix,origins,ad_valorem,description\n6109,ZZ;CN,0,a\n6110,XX,0,b\n6111,UK,0,c\n6112,GB;XK,0,d\n',
      opts,
    );
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.line, i.column, i.code, i.message]),
      [
        [2, 'origins', 'tariff-csv.origin', '"ZZ" is not an ISO 3166-1 alpha-2 country code'],
        [3, 'origins', 'tariff-csv.origin', '"XX" is not an ISO 3166-1 alpha-2 country code'],
        [4, 'origins', 'tariff-csv.origin', '"UK" is not an ISO 3166-1 alpha-2 country code'],
      ],
    );
  });

  it('reports duplicate prefix and origin pairs', () => {
    const r = parseTariffCsv('prefix,ad_valorem,description\n6109,0.1,a\n6109,0.2,b', opts);
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.line, i.code]),
      [[3, 'tariff-csv.duplicate']],
    );
  });
});

describe('shipped EU sample schedule', () => {
  it('has the headline rates: T-shirts 12%, leather footwear 8%, phones and computers 0%, leather handbags 3%', () => {
    const eu = loadRevenueProfiles().find((p) => p.raw.id === 'eu')!.schedule;
    assert.equal(eu.version, 'eu-sample@1');
    const rateOf = (hs: string) => eu.lookup(hs, 'CN').measure?.adValorem;
    assert.deepEqual(['610910', '640399', '851713', '847130', '420221'].map(rateOf), [
      '0.12',
      '0.08',
      '0',
      '0',
      '0.03',
    ]);
    assert.equal(eu.lookup('999999', 'CN').measure, undefined);
  });
});
