/** The module's only I/O: reading a series CSV file from disk. */
import { readFileSync } from 'node:fs';
import { parseSeries } from './parse-series.js';
import type { ParseSeriesResult } from './types.js';

/** Reads and parses a `date,count` CSV file; a missing or unreadable file is an error result. */
export function readSeriesFile(path: string): ParseSeriesResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, error: `cannot read ${path}: ${(e as Error).message}` };
  }
  return parseSeries(text);
}
