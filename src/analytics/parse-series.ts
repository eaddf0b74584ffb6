/** Parses a `date,count` CSV text into a regular series: column detection, frequency, sorting, gap filling. */
import { parse } from 'csv-parse/sync';
import { isoDate, monthIndex, monthStart, parseIsoDate } from './dates.js';
import type { Frequency, ParseSeriesResult } from './types.js';

const DATE_NAMES = ['date', 'day', 'ds', 'week', 'month', 'period', 'time', 'timestamp', 'datetime'];
const COUNT_NAMES = ['count', 'parcels', 'volume', 'value', 'y', 'items', 'total', 'n', 'qty', 'quantity'];
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '-', '?']);

interface Row {
  line: number;
  day: number;
  value: number | undefined;
}

/** Picks the delimiter that occurs most in the first non-empty line (comma, semicolon or tab). */
function detectDelimiter(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t']) {
    const count = first.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** The largest count a series accepts (Number.MAX_SAFE_INTEGER). */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;

/** Reads a count cell: a finite number, `undefined` for an explicit missing marker, or an error text. */
function readCount(cell: string): number | undefined | string {
  const t = cell.trim();
  if (MISSING.has(t.toLowerCase())) return undefined;
  // "12,345" inside a quoted field, or "12 345" / "12_345": thousands separators.
  const cleaned = /^\d{1,3}([, _]\d{3})+(\.\d+)?$/.test(t) ? t.replace(/[, _]/g, '') : t;
  const n = Number(cleaned);
  if (cleaned === '' || !Number.isFinite(n)) return `count '${cell}' is not a number`;
  if (n < 0) return `count ${cell} is negative`;
  // Past 2^53 counts are no longer exact, and the models' expm1 and the staffing arithmetic overflow
  // to Infinity: a cell that large is a typing or export error, not a day of parcels.
  if (n > MAX_COUNT) return `count ${cell} is too large (at most ${MAX_COUNT})`;
  return n;
}

function isNumeric(cell: string): boolean {
  const r = readCount(cell);
  return typeof r === 'number';
}

/** Index of the first column whose non-empty cells mostly pass `test`, skipping `exclude`. */
function guessColumn(rows: string[][], width: number, test: (c: string) => boolean, exclude: number): number {
  for (let c = 0; c < width; c++) {
    if (c === exclude) continue;
    const cells = rows.slice(0, 200).map((r) => (r[c] ?? '').trim());
    const filled = cells.filter((x) => !MISSING.has(x.toLowerCase()));
    if (filled.length > 0 && filled.filter(test).length >= 0.8 * filled.length) return c;
  }
  return -1;
}

function findByName(header: string[], names: string[], exclude: number): number {
  const lower = header.map((h) => h.trim().toLowerCase());
  for (const name of names) {
    const i = lower.indexOf(name);
    if (i >= 0 && i !== exclude) return i;
  }
  return -1;
}

/** Frequency from the median gap in days between consecutive distinct dates. */
function detectFrequency(days: number[]): Frequency | string {
  const gaps: number[] = [];
  for (let i = 1; i < days.length; i++) {
    const g = (days[i] ?? 0) - (days[i - 1] ?? 0);
    if (g > 0) gaps.push(g);
  }
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)] ?? 0;
  if (median >= 1 && median <= 1.5) return 'daily';
  if (median >= 5 && median <= 9) return 'weekly';
  if (median >= 26 && median <= 35) return 'monthly';
  return `dates are spaced ${median} days apart (median): expected daily, weekly or monthly data`;
}

/** Maps a day number to its period key: the day, the week number from the first date, or the month index. */
function periodKey(frequency: Frequency, day: number, firstDay: number): number {
  if (frequency === 'daily') return day;
  if (frequency === 'weekly') return Math.round((day - firstDay) / 7);
  return monthIndex(day);
}

function keyToDay(frequency: Frequency, key: number, firstDay: number): number {
  if (frequency === 'daily') return key;
  if (frequency === 'weekly') return firstDay + 7 * key;
  return monthStart(key);
}

/** Fills missing periods by linear interpolation between the nearest observed neighbours. */
function fillGaps(values: (number | undefined)[]): { values: number[]; imputed: boolean[] } {
  const out: number[] = [];
  const imputed: boolean[] = [];
  let prev = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined) continue;
    for (let j = prev + 1; j < i; j++) {
      const a = prev >= 0 ? (values[prev] ?? v) : v;
      const w = prev >= 0 ? (j - prev) / (i - prev) : 1;
      out[j] = a + (v - a) * w;
      imputed[j] = true;
    }
    out[i] = v;
    imputed[i] = false;
    prev = i;
  }
  const last = prev >= 0 ? (values[prev] ?? 0) : 0;
  for (let j = prev + 1; j < values.length; j++) {
    out[j] = last;
    imputed[j] = true;
  }
  return { values: out, imputed };
}

/**
 * Parses CSV text of a count series. The header is `date,count` (any case); with other names, the
 * first date-like and the first numeric column are used. A file without header is read positionally.
 * Missing periods and empty counts are filled by linear interpolation and flagged as imputed.
 */
export function parseSeries(csvText: string): ParseSeriesResult {
  const text = csvText.replace(/^\uFEFF/, '');
  let grid: string[][];
  try {
    grid = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      skip_empty_lines: false,
    });
  } catch (e) {
    return { ok: false, error: `the file is not valid CSV: ${(e as Error).message}` };
  }
  const lines = grid
    .map((cells, i) => ({ cells, line: i + 1 }))
    .filter((r) => r.cells.some((c) => c.trim() !== ''));
  const first = lines[0];
  if (!first) return { ok: false, error: 'the file is empty' };
  const hasHeader = !first.cells.some((c) => parseIsoDate(c) !== undefined);
  const header = hasHeader ? first.cells : first.cells.map((_, i) => `column ${i + 1}`);
  const body = hasHeader ? lines.slice(1) : lines;
  const width = Math.max(...lines.map((l) => l.cells.length));
  const cells = body.map((b) => b.cells);
  let dateCol = findByName(header, DATE_NAMES, -1);
  if (dateCol < 0) dateCol = guessColumn(cells, width, (c) => parseIsoDate(c) !== undefined, -1);
  if (dateCol < 0) return { ok: false, error: 'no date column found: expected ISO dates such as 2024-03-31' };
  let countCol = findByName(header, COUNT_NAMES, dateCol);
  if (countCol < 0) countCol = guessColumn(cells, width, isNumeric, dateCol);
  if (countCol < 0) return { ok: false, error: 'no numeric count column found' };
  const notes: string[] = [];
  const dateName = header[dateCol] ?? '';
  const countName = header[countCol] ?? '';
  if (dateName.toLowerCase() !== 'date' || countName.toLowerCase() !== 'count')
    notes.push(`read column '${dateName}' as the date and '${countName}' as the count`);

  const rows: Row[] = [];
  let emptyCounts = 0;
  for (const b of body) {
    const rawDate = (b.cells[dateCol] ?? '').trim();
    const day = parseIsoDate(rawDate);
    if (day === undefined)
      return { ok: false, error: `line ${b.line}: '${rawDate}' is not an ISO date (YYYY-MM-DD)` };
    const count = readCount(b.cells[countCol] ?? '');
    if (typeof count === 'string') return { ok: false, error: `line ${b.line}: ${count}` };
    if (count === undefined) emptyCounts++;
    rows.push({ line: b.line, day, value: count });
  }
  if (rows.length < 3) return { ok: false, error: `need at least 3 dated rows, found ${rows.length}` };
  rows.sort((a, b) => a.day - b.day);
  if (rows.some((r, i) => i > 0 && r.day < (rows[i - 1]?.day ?? 0)))
    return { ok: false, error: 'dates could not be sorted' };

  const frequency = detectFrequency(rows.map((r) => r.day));
  if (frequency !== 'daily' && frequency !== 'weekly' && frequency !== 'monthly')
    return { ok: false, error: frequency };
  const firstDay = rows[0]?.day ?? 0;
  const byKey = new Map<number, Row>();
  let offGrid = 0;
  for (const r of rows) {
    const key = periodKey(frequency, r.day, firstDay);
    const seen = byKey.get(key);
    if (seen)
      return {
        ok: false,
        error: `line ${r.line}: duplicate ${frequency} period ${isoDate(r.day)} (also on line ${seen.line})`,
      };
    if (frequency === 'weekly' && (r.day - firstDay) % 7 !== 0) offGrid++;
    byKey.set(key, r);
  }
  const keys = [...byKey.keys()];
  const firstKey = Math.min(...keys);
  const lastKey = Math.max(...keys);
  const raw: (number | undefined)[] = [];
  for (let k = firstKey; k <= lastKey; k++) raw.push(byKey.get(k)?.value);
  if (raw.every((v) => v === undefined)) return { ok: false, error: 'every count is empty' };
  const filled = fillGaps(raw);
  const missingPeriods = lastKey - firstKey + 1 - byKey.size;
  if (offGrid > 0) notes.push(`${offGrid} weekly dates off the 7-day grid were snapped to the nearest week`);
  if (missingPeriods > 0)
    notes.push(`${missingPeriods} missing ${frequency} periods filled by linear interpolation`);
  if (emptyCounts > 0) notes.push(`${emptyCounts} empty counts filled by linear interpolation`);
  const imputedCount = filled.imputed.filter(Boolean).length;
  if (imputedCount > 0.2 * filled.values.length)
    notes.push(`${imputedCount} of ${filled.values.length} periods are imputed: forecasts rest on thin data`);
  const dates: string[] = [];
  for (let k = firstKey; k <= lastKey; k++) dates.push(isoDate(keyToDay(frequency, k, firstDay)));
  return {
    ok: true,
    series: {
      frequency,
      dates,
      values: filled.values,
      imputed: filled.imputed,
      columns: { date: dateName, count: countName },
      notes,
    },
  };
}
