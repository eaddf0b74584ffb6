/** Reads a long-format volume CSV (`date,office,lane,count[,inspected]`) into lane rows. */
import { parse } from 'csv-parse/sync';
import type { LaneVolumeRow } from './lane-forecast.js';
import { MAX_COUNT } from './parse-series.js';

const DATE_NAMES = ['date', 'day', 'ds'];
const COUNT_NAMES = ['count', 'parcels', 'volume', 'value', 'n'];

/**
 * Rows of a CSV with a header naming a date (`date`/`day`/`ds`), `office`, `lane`, a count
 * (`count`/`parcels`/`volume`/…) and optionally `inspected` columns (any order, any case). Either
 * `office` or `lane` may be missing (read as empty). An error names the line and the field.
 */
export function parseLaneCsv(
  text: string,
): { ok: true; rows: LaneVolumeRow[] } | { ok: false; error: string } {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (e) {
    return { ok: false, error: `not a readable CSV: ${(e as Error).message}` };
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const col = (names: string[]) => names.map((n) => header.indexOf(n)).find((i) => i >= 0) ?? -1;
  const date = col(DATE_NAMES);
  const count = col(COUNT_NAMES);
  const office = header.indexOf('office');
  const lane = header.indexOf('lane');
  const inspected = header.indexOf('inspected');
  if (date < 0 || count < 0 || (office < 0 && lane < 0))
    return { ok: false, error: 'the header must name a date, an office and/or lane, and a count column' };
  const rows: LaneVolumeRow[] = [];
  for (const [i, r] of records.slice(1).entries()) {
    const line = i + 2;
    const day = (r[date] ?? '').slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
      return { ok: false, error: `line ${line}: date '${r[date] ?? ''}' is not YYYY-MM-DD` };
    const n = Number(r[count]);
    if (!Number.isFinite(n) || n < 0)
      return { ok: false, error: `line ${line}: count '${r[count] ?? ''}' is not a non-negative number` };
    if (n > MAX_COUNT)
      return {
        ok: false,
        error: `line ${line}: count '${r[count] ?? ''}' is too large (at most ${MAX_COUNT})`,
      };
    const k = inspected < 0 ? 0 : Number(r[inspected]);
    if (!Number.isFinite(k) || k < 0 || k > n)
      return {
        ok: false,
        error: `line ${line}: inspected '${r[inspected] ?? ''}' is not between 0 and the count`,
      };
    rows.push({
      day,
      office: office < 0 ? null : (r[office] ?? ''),
      lane: lane < 0 ? '' : (r[lane] ?? ''),
      count: n,
      inspected: k,
    });
  }
  if (rows.length === 0) return { ok: false, error: 'no data rows' };
  return { ok: true, rows };
}
