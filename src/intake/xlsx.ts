/**
 * Excel (.xlsx) import of the bulk template: the first worksheet (or one named `consignments`) holds
 * the CSV template's header and one row per item; cells are turned into the text the CSV reader would
 * see, then grouped exactly as CSV rows are. Files are capped in size (default 100 MB).
 */
import ExcelJS from 'exceljs';
import { CsvGrouper, writeCsv } from './csv.js';
import type { ByteSource, RawRecord } from './ndjson.js';
import type { ConsignmentInput } from '../domain/index.js';

/** Reader limits. */
export interface XlsxOptions {
  /** Largest file accepted (default 100 MB). */
  maxBytes?: number;
  /** Most rows read (default 1,000,000). */
  maxRows?: number;
}

/** The text a cell holds, as CSV would carry it (numbers in shortest form, dates as ISO 8601). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().replace('.000Z', 'Z');
  if (typeof v === 'object') {
    const o = v as {
      richText?: { text: string }[];
      text?: unknown;
      result?: unknown;
      error?: string;
      formula?: string;
    };
    if (Array.isArray(o.richText))
      return o.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if (o.error !== undefined) return o.error;
    if (o.formula !== undefined || o.result !== undefined) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
  }
  return String(v);
}

function xlsxError(line: number, code: string, message: string): RawRecord {
  return { line, error: { code, path: '', message } };
}

/**
 * Reads the bulk template from an .xlsx byte stream. Rows are numbered as in the spreadsheet; empty
 * rows are skipped. An unreadable file gives one `xlsx.unreadable` error record and nothing else.
 * The file is read whole (up to `maxBytes`) and opened with exceljs: its streaming reader can wait
 * forever on some malformed input, which a bulk intake must never do.
 */
export async function* readXlsx(input: ByteSource, opts: XlsxOptions = {}): AsyncIterable<RawRecord> {
  const maxBytes = opts.maxBytes ?? 100 * 1024 * 1024;
  const maxRows = opts.maxRows ?? 1_000_000;
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
    bytes += chunk.length;
    if (bytes > maxBytes) {
      yield xlsxError(
        0,
        'xlsx.unreadable',
        `the spreadsheet cannot be read: file is larger than ${maxBytes} bytes`,
      );
      return;
    }
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  }
  const data = Buffer.concat(chunks);
  // An .xlsx file is a ZIP archive: refuse anything else before handing it to the parser.
  if (data.length < 4 || data.readUInt32LE(0) !== 0x04034b50) {
    yield xlsxError(0, 'xlsx.unreadable', 'the spreadsheet cannot be read: not an .xlsx (ZIP) file');
    return;
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch (err) {
    yield xlsxError(0, 'xlsx.unreadable', `the spreadsheet cannot be read: ${(err as Error).message}`);
    return;
  }
  const sheet = wb.worksheets.find((w) => w.name.toLowerCase() === 'consignments') ?? wb.worksheets[0];
  if (sheet === undefined || sheet.actualRowCount === 0) {
    yield xlsxError(0, 'xlsx.empty', 'the workbook has no worksheet with rows');
    return;
  }
  const grouper = new CsvGrouper();
  let rows = 0;
  for (let n = 1; n <= sheet.rowCount; n++) {
    if (grouper.stopped) return;
    const row = sheet.getRow(n);
    const values = (Array.isArray(row.values) ? row.values.slice(1) : []).map(cellText);
    if (values.every((v) => v === '')) continue;
    if (++rows > maxRows) {
      yield xlsxError(n, 'xlsx.too-many-rows', `more than ${maxRows} rows; split the file`);
      return;
    }
    yield* grouper.take({ record: values, lines: n });
  }
  if (!grouper.stopped) yield* grouper.end();
}

/** Writes consignments as an .xlsx bulk template (sheet `consignments`, the CSV template's columns). */
export async function writeXlsx(records: readonly ConsignmentInput[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('consignments');
  const csv = writeCsv(records);
  const { parse } = await import('csv-parse/sync');
  for (const row of parse(csv, { bom: true, relax_column_count: true }) as string[][]) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
