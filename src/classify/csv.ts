/** Reads the classify input CSV: a `description` column and, for evaluation, an optional HS code column. */
import { parse } from 'csv-parse/sync';
import { ParcelgateError } from '../domain/index.js';

/** Why one row cannot be classified (the row still gets its output line, carrying this error). */
export interface ClassifyRowError {
  code: string;
  message: string;
}

/**
 * One input row, in input order, with its first physical line in the file. `hs6` is present when the file
 * carries a code column and the cell holds a valid code; `error` when the row is blank, ragged, unparsable
 * or carries an invalid code (its `description` is then whatever could be read, possibly '').
 */
export interface ClassifyRow {
  line: number;
  description: string;
  hs6?: string;
  error?: ClassifyRowError;
}

const CODE_COLUMNS = ['hs6', 'hs', 'hscode', 'hs_code', 'hs code'];

function fileError(code: string, message: string, line: number): ParcelgateError {
  return new ParcelgateError(code, `line ${line}: ${message}`, 400, { line });
}

function rowError(code: string, line: number, message: string): ClassifyRowError {
  return { code, message: `line ${line}: ${message}` };
}

interface RawRecord {
  line: number;
  cells: string[];
}

/**
 * Every CSV record with the physical line it starts on. A record that cannot be parsed (a stray or unclosed
 * quote) becomes an error at its first line and parsing resumes on the next physical line, so one bad
 * quote does not swallow the rows after it.
 */
function records(text: string): (RawRecord | { line: number; error: string })[] {
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  // A final line terminator does not start another row.
  if (physical[physical.length - 1] === '') physical.pop();
  const out: (RawRecord | { line: number; error: string })[] = [];
  let start = 0; // index into `physical` of the next unparsed line
  while (start < physical.length) {
    const chunk: RawRecord[] = [];
    let end = 0; // lines of the chunk consumed by complete records
    try {
      parse(physical.slice(start).join('\n') + '\n', {
        relax_column_count: true,
        on_record: (record: string[], context: { lines: number }) => {
          chunk.push({ line: start + end + 1, cells: record });
          end = context.lines;
          return record;
        },
      });
      out.push(...chunk);
      break;
    } catch (e) {
      out.push(...chunk);
      const message = (e as { message?: string }).message ?? 'malformed CSV';
      out.push({ line: start + end + 1, error: message.replace(/ at line \d+.*$/s, '') });
      start += end + 1;
    }
  }
  return out;
}

/**
 * Parses CSV text whose header holds `description` (and optionally hs6/hs/hscode) into one row per record,
 * in order: blank, ragged or unparsable records and invalid codes become rows with an `error`, so every
 * input row can be answered. Throws (coded, with the line) only when the file has no usable header.
 */
export function readClassifyCsv(text: string): ClassifyRow[] {
  const [header, ...rest] = records(text);
  if (header === undefined) {
    throw fileError('classify.csv-empty', 'the file has no header row', 1);
  }
  if ('error' in header) throw fileError('classify.csv-malformed', header.error, 1);
  const names = header.cells.map((h) => h.trim().toLowerCase());
  const descriptionAt = names.indexOf('description');
  if (descriptionAt < 0) {
    throw fileError(
      'classify.csv-no-description',
      `no 'description' column in header: ${header.cells.join(',')}`,
      1,
    );
  }
  const codeAt = names.findIndex((n) => CODE_COLUMNS.includes(n));
  return rest.map((r): ClassifyRow => {
    const { line } = r;
    if ('error' in r) {
      return { line, description: '', error: rowError('classify.csv-malformed', line, r.error) };
    }
    const { cells } = r;
    const description = (cells[descriptionAt] ?? '').trim();
    if (cells.every((c) => c.trim() === '')) {
      return { line, description, error: rowError('classify.csv-blank-row', line, 'the row is blank') };
    }
    if (cells.length !== names.length) {
      const message = `${cells.length} fields where the header has ${names.length}`;
      return { line, description, error: rowError('classify.csv-malformed', line, message) };
    }
    if (description === '') {
      const message = 'the description is empty';
      return { line, description, error: rowError('classify.csv-empty-description', line, message) };
    }
    const row: ClassifyRow = { line, description };
    if (codeAt < 0) return row;
    const raw = (cells[codeAt] ?? '').trim();
    if (raw === '') return row;
    const digits = raw.replace(/[.\s]/g, '');
    if (!/^\d{6,10}$/.test(digits)) {
      const message = `HS code '${raw}' in column ${names[codeAt]} is not 6 to 10 digits`;
      return { ...row, error: rowError('classify.csv-bad-hs', line, message) };
    }
    row.hs6 = digits.slice(0, 6);
    return row;
  });
}
