import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSeries } from './parse-series.js';
import { parseLaneCsv } from './lane-csv.js';
import { forecast } from './forecast.js';
import { recommendStaffing } from './staffing.js';

function ok(text: string) {
  const r = parseSeries(text);
  if (!r.ok) assert.fail(`expected a series, got: ${r.error}`);
  return r.series;
}

function error(text: string): string {
  const r = parseSeries(text);
  if (r.ok) assert.fail('expected an error');
  return r.error;
}

test('reads a daily date,count file and sorts it by date', () => {
  const s = ok('date,count\n2024-01-03,30\n2024-01-01,10\n2024-01-02,20\n');
  assert.equal(s.frequency, 'daily');
  assert.deepEqual(s.dates, ['2024-01-01', '2024-01-02', '2024-01-03']);
  assert.deepEqual(s.values, [10, 20, 30]);
  assert.deepEqual(s.notes, []);
});

test('accepts the header in any case, a BOM, CRLF line ends and blank lines', () => {
  const s = ok('\uFEFFDate,COUNT\r\n2024-01-01,1\r\n\r\n2024-01-02,2\r\n2024-01-03,3\r\n');
  assert.deepEqual(s.values, [1, 2, 3]);
});

test('uses the first date-like and first numeric column when the names differ', () => {
  const s = ok(
    'office,week_start,lane,parcels_in\nFRA,2024-01-01,CN,100\nFRA,2024-01-08,CN,110\nFRA,2024-01-15,CN,120\n',
  );
  assert.equal(s.frequency, 'weekly');
  assert.deepEqual(s.values, [100, 110, 120]);
  assert.equal(s.columns.date, 'week_start');
  assert.equal(s.columns.count, 'parcels_in');
  assert.match(s.notes[0] ?? '', /week_start/);
});

test('reads a file without header and a semicolon-separated file', () => {
  assert.deepEqual(ok('2024-01-01,5\n2024-01-02,6\n2024-01-03,7\n').values, [5, 6, 7]);
  assert.deepEqual(ok('date;count\n2024-01-01;5\n2024-01-02;6\n2024-01-03;7\n').values, [5, 6, 7]);
});

test('detects monthly data from month-start, month-end and YYYY-MM dates', () => {
  const a = ok('date,count\n2023-01-01,1\n2023-02-01,2\n2023-03-01,3\n2023-04-01,4\n');
  assert.equal(a.frequency, 'monthly');
  const b = ok('date,count\n2023-01-31,1\n2023-02-28,2\n2023-03-31,3\n2023-04-30,4\n');
  assert.equal(b.frequency, 'monthly');
  assert.deepEqual(b.dates, ['2023-01-01', '2023-02-01', '2023-03-01', '2023-04-01']);
  assert.equal(ok('month,count\n2023-01,1\n2023-02,2\n2023-03,3\n').frequency, 'monthly');
});

test('fills a missing day by linear interpolation and flags it', () => {
  const s = ok('date,count\n2024-01-01,10\n2024-01-02,20\n2024-01-05,50\n2024-01-06,60\n');
  assert.deepEqual(s.values, [10, 20, 30, 40, 50, 60]);
  assert.deepEqual(s.imputed, [false, false, true, true, false, false]);
  assert.match(s.notes.join(' '), /2 missing daily periods/);
});

test('treats empty and NA counts as missing, but rejects words', () => {
  const s = ok('date,count\n2024-01-01,10\n2024-01-02,\n2024-01-03,NA\n2024-01-04,40\n');
  assert.deepEqual(s.values, [10, 20, 30, 40]);
  assert.match(
    error('date,count\n2024-01-01,10\n2024-01-02,lots\n2024-01-03,3\n'),
    /^line 3: count 'lots' is not a number/,
  );
});

test('rejects a negative count naming the line', () => {
  assert.match(
    error('date,count\n2024-01-01,10\n2024-01-02,-4\n2024-01-03,3\n'),
    /^line 3: count -4 is negative/,
  );
});

test('rejects a count too large to be a day of parcels, which would plan Infinity officers', () => {
  const days = Array.from({ length: 60 }, (_, i) =>
    new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
  );
  const body = (last: string) =>
    days.map((d, i) => `${d},${i === 59 ? last : 1000 + (i % 7) * 10}`).join('\n');
  assert.match(error(`date,count\n${body('1.7e308')}\n`), /^line 61: count 1\.7e308 is too large/);
  assert.match(error(`date,count\n${body('1e300')}\n`), /^line 61: count 1e300 is too large/);
  const lane = parseLaneCsv(
    `date,office,lane,count\n2024-01-01,FRCDG01,red,10\n2024-01-02,FRCDG01,red,1e300\n`,
  );
  assert.equal(lane.ok, false);
  if (!lane.ok) assert.match(lane.error, /^line 3: count '1e300' is too large/);
  // The largest count accepted still plans a finite number of officers.
  const s = ok(`date,count\n${body(String(Number.MAX_SAFE_INTEGER))}\n`);
  const plan = recommendStaffing(forecast(s, { horizon: 7 }), {
    selectionRate: 0.02,
    inspectionsPerOfficerPerDay: 40,
  });
  for (const d of plan.days)
    assert.ok(Number.isFinite(d.officersPerDay) && d.officersPerDay >= 0, String(d.officersPerDay));
});

test('rejects a bad date naming the line', () => {
  assert.match(
    error('date,count\n2024-01-01,1\n2024-02-30,2\n2024-01-03,3\n'),
    /^line 3: '2024-02-30' is not an ISO date/,
  );
  assert.match(error('date,count\n2024-01-01,1\n01/02/2024,2\n2024-01-03,3\n'), /^line 3:/);
});

test('rejects a duplicate date naming both lines', () => {
  const e = error('date,count\n2024-01-01,1\n2024-01-02,2\n2024-01-02,3\n2024-01-03,4\n');
  assert.match(e, /duplicate daily period 2024-01-02/);
  assert.match(e, /line [34].*line [34]/);
});

test('rejects two dates in the same month of a monthly series', () => {
  assert.match(
    error('date,count\n2023-01-01,1\n2023-02-01,2\n2023-02-15,2\n2023-03-01,3\n2023-04-01,4\n'),
    /duplicate monthly/,
  );
});

test('rejects empty files, too few rows and unsupported spacing', () => {
  assert.match(error(''), /empty/);
  assert.match(error('date,count\n2024-01-01,1\n'), /at least 3/);
  assert.match(
    error('date,count\n2020-01-01,1\n2021-01-01,2\n2022-01-01,3\n'),
    /expected daily, weekly or monthly/,
  );
});

test('accepts ISO date-times and thousands separators in quoted counts', () => {
  const s = ok(
    'date,count\n2024-01-01T00:00:00Z,"1,200"\n2024-01-02T00:00:00Z,1300\n2024-01-03 00:00,1400\n',
  );
  assert.deepEqual(s.values, [1200, 1300, 1400]);
});

test('the row order of the file never changes the parsed series', () => {
  fc.assert(
    fc.property(
      fc.array(fc.nat(10_000), { minLength: 3, maxLength: 40 }),
      fc.integer({ min: 0, max: 1_000 }),
      (counts, seed) => {
        const rows = counts.map(
          (c, i) => `${new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)},${c}`,
        );
        const shuffled = [...rows].sort(
          (a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 17 + seed) % 5) || a.localeCompare(b),
        );
        const s1 = ok(['date,count', ...rows].join('\n'));
        const s2 = ok(['date,count', ...shuffled].join('\n'));
        assert.deepEqual(s2.values, s1.values);
        assert.deepEqual(s1.values, counts);
      },
    ),
    { numRuns: 50 },
  );
});
