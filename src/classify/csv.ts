/** Reads the classify input CSV: a `description` column and, for evaluation, an optional HS code column. */
import { parse } from 'csv-parse/sync';
import { ParcelgateError } from '../domain/index.js';

/** One input row; `hs6` is present when the file carries a code column and the cell is not empty. */
export interface ClassifyRow {
  description: string;
  hs6?: string;
}

const CODE_COLUMNS = ['hs6', 'hs', 'hscode', 'hs_code', 'hs code'];

function csvError(code: string, message: string, line: number, column?: string): ParcelgateError {
  return new ParcelgateError(code, `line ${line}: ${message}`, 400, { line, ...(column ? { column } : {}) });
}

/** Parses CSV text with a header holding `description` (and optionally hs6/hs/hscode); throws coded errors with the line. */
export function readClassifyCsv(text: string): ClassifyRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_quotes: false }) as string[][];
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    throw csvError('classify.csv-malformed', err.message ?? 'malformed CSV', err.lines ?? 0);
  }
  const [header, ...rows] = records;
  if (header === undefined) throw csvError('classify.csv-empty', 'the file has no header row', 1);
  const names = header.map((h) => h.trim().toLowerCase());
  const descriptionAt = names.indexOf('description');
  if (descriptionAt < 0) {
    throw csvError(
      'classify.csv-no-description',
      `no 'description' column in header: ${header.join(',')}`,
      1,
    );
  }
  const codeAt = names.findIndex((n) => CODE_COLUMNS.includes(n));
  return rows.map((cells, i) => {
    const line = i + 2;
    const description = (cells[descriptionAt] ?? '').trim();
    const row: ClassifyRow = { description };
    if (codeAt < 0) return row;
    const raw = (cells[codeAt] ?? '').trim();
    if (raw === '') return row;
    const digits = raw.replace(/[.\s]/g, '');
    if (!/^\d{6,10}$/.test(digits)) {
      throw csvError('classify.csv-bad-hs', `HS code '${raw}' is not 6 to 10 digits`, line, names[codeAt]);
    }
    row.hs6 = digits.slice(0, 6);
    return row;
  });
}
