/** Shared bench helpers: temp dirs and generated records. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFlood } from '../src/sim/index.js';

/** A fresh temporary directory. */
export const tempDir = (name: string): string => mkdtempSync(join(tmpdir(), `parcelgate-bench-${name}-`));

/** `count` generated consignment records (inputs only), deterministic. */
export function records(count: number, seed = 'bench'): unknown[] {
  const out: unknown[] = [];
  for (const r of generateFlood({ seed, count, day: '2026-11-27' })) out.push(r.input);
  return out;
}

/** Splits an array into chunks. */
export function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** Formats a number with thousands separators. */
export const fmt = (n: number): string => Math.round(n).toLocaleString('en');
