/** Prescribed FX: date rules, CSV rate feeds (generic and ECB layouts) and the per-profile choice. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ParcelgateError } from '../domain/errors.js';
import { Dec } from '../domain/index.js';
import { assessRevenue } from './assess-revenue.js';
import {
  FEED_MAX_AGE_DAYS,
  parseFxFeedCsv,
  penultimateWednesdayOfPreviousMonth,
  rateDateFor,
} from './fx-feed.js';
import { loadRevenueContext } from './load-context.js';
import { item, parcel } from './scenario-fixtures.js';

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
const plusDays = (d: string, n: number) => iso(Date.parse(`${d}T00:00:00Z`) + n * DAY);
const previousMonth = (d: string) => {
  const t = new Date(`${d.slice(0, 7)}-01T00:00:00Z`);
  t.setUTCMonth(t.getUTCMonth() - 1);
  return t.toISOString().slice(0, 7);
};
const anyDate = fc
  .integer({ min: Date.UTC(1971, 0, 1) / DAY, max: Date.UTC(2099, 11, 31) / DAY })
  .map((n) => iso(n * DAY));

describe('EU date rule: penultimate Wednesday of the previous month', () => {
  it('is a Wednesday of the previous month with exactly one more Wednesday after it in that month', () => {
    fc.assert(
      fc.property(anyDate, (d) => {
        const w = penultimateWednesdayOfPreviousMonth(d);
        assert.equal(weekday(w), 3, `${w} is a Wednesday`);
        assert.equal(w.slice(0, 7), previousMonth(d));
        assert.equal(plusDays(w, 7).slice(0, 7), previousMonth(d), 'a last Wednesday follows');
        assert.notEqual(plusDays(w, 14).slice(0, 7), previousMonth(d), 'no third Wednesday follows');
      }),
    );
  });

  it('gives one rate date for every day of a month and changes exactly at the month boundary', () => {
    fc.assert(
      fc.property(anyDate, (d) => {
        const first = `${d.slice(0, 7)}-01`;
        assert.equal(penultimateWednesdayOfPreviousMonth(d), penultimateWednesdayOfPreviousMonth(first));
        const lastOfPrev = plusDays(first, -1);
        assert.notEqual(
          penultimateWednesdayOfPreviousMonth(lastOfPrev),
          penultimateWednesdayOfPreviousMonth(first),
        );
        assert.ok(penultimateWednesdayOfPreviousMonth(d) < first);
      }),
    );
  });

  it('handles months ending on a Wednesday, leap February and the year boundary', () => {
    assert.equal(penultimateWednesdayOfPreviousMonth('2025-05-15'), '2025-04-23'); // 30 April is a Wednesday
    assert.equal(penultimateWednesdayOfPreviousMonth('2024-03-01'), '2024-02-21'); // 28 Feb last Wednesday
    assert.equal(penultimateWednesdayOfPreviousMonth('2025-01-31'), '2024-12-18');
    assert.equal(penultimateWednesdayOfPreviousMonth('2024-08-01'), '2024-07-24'); // 31 July is a Wednesday
  });

  it('other rules: relevant date, previous day (across years), month start', () => {
    assert.equal(rateDateFor('relevant-date', '2024-03-15'), '2024-03-15');
    assert.equal(rateDateFor('previous-day', '2024-01-01'), '2023-12-31');
    assert.equal(rateDateFor('previous-day', '2024-03-01'), '2024-02-29');
    assert.equal(rateDateFor('month-start', '2024-03-15'), '2024-03-01');
  });
});

const ECB = [
  'Date,USD,JPY,GBP,CYP,',
  '2024-03-14,1.0900,161.50,0.85300,N/A,',
  '2024-02-21,1.0800,162.00,0.85500,N/A,',
  '2024-02-20,1.0790,161.90,0.85600,N/A,',
].join('\n');

function feedError(f: () => unknown): ParcelgateError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof ParcelgateError);
    assert.equal(e.code, 'fx-feed.invalid');
    return e;
  }
  assert.fail('expected a feed error');
}

describe('CSV rate feeds', () => {
  it('reads the ECB eurofxref-hist layout (units per EUR, N/A skipped, trailing comma)', () => {
    const feed = parseFxFeedCsv('ecb', ECB);
    assert.equal(feed.format, 'ecb');
    assert.equal(feed.base, 'EUR');
    assert.equal(feed.days, 3);
    assert.deepEqual(feed.rate('EUR', 'USD', '2024-02-21'), {
      rate: '1.08',
      source: 'ecb 2024-02-21',
      date: '2024-02-21',
    });
    assert.equal(feed.rate('USD', 'EUR', '2024-02-21')?.rate, '0.9259259259');
    assert.equal(feed.rate('USD', 'JPY', '2024-02-21')?.rate, '150');
    assert.equal(feed.rate('CYP', 'EUR', '2024-02-21'), undefined);
    assert.match(feed.version ?? '', /^ecb:[0-9a-f]{12}$/);
  });

  it('uses the last rate published on or before the date, within the age limit', () => {
    const feed = parseFxFeedCsv('ecb', ECB);
    assert.equal(feed.rate('USD', 'EUR', '2024-02-25')?.date, '2024-02-21');
    assert.equal(feed.rate('USD', 'EUR', '2024-02-19'), undefined, 'before the first publication');
    assert.equal(feed.rate('USD', 'EUR', plusDays('2024-03-14', FEED_MAX_AGE_DAYS))?.date, '2024-03-14');
    assert.equal(feed.rate('USD', 'EUR', plusDays('2024-03-14', FEED_MAX_AGE_DAYS + 1)), undefined);
  });

  it('reads the generic layout in any column order', () => {
    const feed = parseFxFeedCsv(
      'admin',
      'base,currency,date,rate\nAUD,USD,2024-03-01,0.6523\nAUD,EUR,2024-03-01,0.6011\n',
    );
    assert.equal(feed.format, 'generic');
    assert.equal(feed.rate('USD', 'AUD', '2024-03-05')?.rate, '1.533036946');
    assert.equal(feed.rate('AUD', 'EUR', '2024-03-01')?.rate, '0.6011');
  });

  it('reads back any generated feed exactly (rates of up to 10 significant digits)', () => {
    const rateText = fc
      .tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 99_999 }))
      .map(([i, f]) => `${i}.${String(f).padStart(5, '0')}`);
    fc.assert(
      fc.property(fc.uniqueArray(anyDate, { minLength: 1, maxLength: 8 }), rateText, (dates, r) => {
        const csv = ['date,currency,rate,base', ...dates.map((d) => `${d},USD,${r},EUR`)].join('\n');
        const feed = parseFxFeedCsv('g', csv);
        for (const d of dates) {
          const q = feed.rate('EUR', 'USD', d);
          assert.equal(q?.date, d);
          assert.equal(q?.rate, new Dec(r).toFixed());
        }
      }),
      { numRuns: 50 },
    );
  });

  it('names the line and field of every problem', () => {
    const cases: [string, string, number, string][] = [
      ['date,currency,rate,base\n2024-02-30,USD,1.1,EUR', 'date', 2, "'2024-02-30' is not a YYYY-MM-DD date"],
      [
        'date,currency,rate,base\n2024-02-01,USD,1.1,EUR\n2024-02-01,usd,1.1,EUR',
        'currency',
        3,
        'not a currency code',
      ],
      ['date,currency,rate,base\n2024-02-01,USD,-1,EUR', 'rate', 2, 'not a positive decimal rate'],
      ['date,currency,rate,base\n2024-02-01,USD,0,EUR', 'rate', 2, 'not a positive decimal rate'],
      [
        'date,currency,rate,base\n2024-02-01,USD,1.1,EUR\n2024-02-01,JPY,150,USD',
        'base',
        3,
        'differs from EUR',
      ],
      [
        'date,currency,rate,base\n2024-02-01,USD,1.1,EUR\n2024-02-01,USD,1.2,EUR',
        'currency',
        3,
        'appears twice',
      ],
      ['date,currency,value\n2024-02-01,USD,1.1', 'rate', 1, "missing column 'rate'"],
      ['Date,USD,JPY\n2024-02-01,1.1,abc', 'JPY', 2, "'abc' is not a positive decimal rate"],
      ['Date,USD,yen\n2024-02-01,1.1,150', 'column 3', 1, 'not a currency code'],
      ['Date,USD\n2024-02-01,1.1\n2024-02-01,1.2', 'Date', 3, 'appears twice'],
      ['date,currency,rate,base\n', '-', 2, 'no rate rows'],
    ];
    for (const [csv, field, line, message] of cases) {
      const e = feedError(() => parseFxFeedCsv('t', csv));
      assert.equal(e.details?.['field'], field, csv);
      assert.equal(e.details?.['line'], line, csv);
      assert.ok(e.message.includes(message), `${e.message} ~ ${message}`);
      assert.ok(e.message.startsWith(`fx feed t: line ${line}, field ${field}: `), e.message);
    }
  });
});

describe('quotes with a prescribed feed and with the HMRC stand-in', () => {
  // 15 March 2024: the EU rule reads the ECB rate of 21 February 2024 (penultimate Wednesday).
  const input = parcel({ to: 'DE', items: [item('108.00', '610910', 'USD')], arrival: '2024-03-15' });
  const AT = '2024-03-10T09:00:00Z';

  it('converts with the ECB rate of the penultimate Wednesday of the previous month, exactly', () => {
    const ctx = loadRevenueContext({ feeds: new Map([['ecb', parseFxFeedCsv('ecb', ECB)]]) });
    const a = assessRevenue(input, ctx, AT);
    assert.equal(a.intrinsicValue, '100.00'); // 108 x 0.9259259259 = 99.99999999 -> 100.00
    assert.deepEqual(a.fx, [
      {
        from: 'USD',
        to: 'EUR',
        rate: '0.9259259259',
        source:
          'ecb 2024-02-21 (rate of the penultimate Wednesday of the previous month, valid for the whole month)',
        date: '2024-02-21',
      },
    ]);
    assert.match(a.versions['fx'] ?? '', /^ecb:[0-9a-f]{12}$/);
    assert.ok(a.lines.some((l) => l.explanation.includes('ecb 2024-02-21')));
  });

  it('takes the last earlier rate when none was published on the penultimate Wednesday', () => {
    const holiday = ECB.split('\n')
      .filter((l) => !l.startsWith('2024-02-21'))
      .join('\n');
    const ctx = loadRevenueContext({ feeds: new Map([['ecb', parseFxFeedCsv('ecb', holiday)]]) });
    assert.equal(assessRevenue(input, ctx, AT).fx[0]?.date, '2024-02-20');
  });

  it('falls back to the HMRC cross rate and says why, per quote, when the feed lacks the pair', () => {
    const ctx = loadRevenueContext({
      feeds: new Map([['ecb', parseFxFeedCsv('ecb', 'Date,JPY\n2024-02-21,162.00')]]),
    });
    const a = assessRevenue(input, ctx, AT);
    assert.match(
      a.fx[0]?.source ?? '',
      /^HMRC monthly .*; stand-in: ecb has no USD\/EUR rate on or before 2024-02-21$/,
    );
    assert.ok(a.lines.some((l) => l.explanation.includes('stand-in: ecb has no USD/EUR rate')));
  });

  it('without a feed keeps the HMRC figures and labels them a stand-in in the text and version', () => {
    const plain = assessRevenue(input, loadRevenueContext(), AT);
    assert.ok(
      plain.fx[0]?.source.endsWith(
        '; stand-in: prescribed ecb rates (rate of the penultimate Wednesday of the previous month, valid for the whole month) not loaded',
      ),
    );
    assert.equal(plain.versions['fx'], 'hmrc-monthly (stand-in for ecb)');
    assert.ok(plain.lines.some((l) => l.explanation.includes('stand-in: prescribed ecb rates')));
  });

  it('the UK reads its prescribed HMRC monthly rate unchanged, with no stand-in label', () => {
    const uk = assessRevenue(
      parcel({ to: 'GB', items: [item('100.00', '610910', 'USD')], arrival: '2024-03-15' }),
      loadRevenueContext(),
      AT,
    );
    assert.equal(uk.versions['fx'], 'hmrc-monthly');
    assert.ok(!(uk.fx[0]?.source ?? '').includes('stand-in'));
  });

  it('a US feed applies the rate of the relevant date (date of exportation stand-in)', () => {
    const frbny = parseFxFeedCsv(
      'frbny',
      'date,currency,rate,base\n2024-03-14,EUR,0.9174,USD\n2024-03-15,EUR,0.9200,USD',
    );
    const us = assessRevenue(
      parcel({ to: 'US', items: [item('100.00', '610910', 'EUR')], arrival: '2024-03-15' }),
      loadRevenueContext({ feeds: new Map([['frbny', frbny]]) }),
      AT,
    );
    assert.equal(us.fx[0]?.date, '2024-03-15');
    assert.equal(us.fx[0]?.rate, '1.086956522');
    assert.equal(us.intrinsicValue, '108.70');
  });
});
