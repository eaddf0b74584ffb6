/** The HS 2022 nomenclature (chapters, headings, subheadings) loaded from data/hs. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { dataPath } from './paths.js';

export interface HsEntry {
  code: string;
  description: string;
  level: 2 | 4 | 6;
  parent: string | null;
  section: string;
}

/** Read-only view of the nomenclature. */
export interface HsNomenclature {
  readonly edition: string;
  /** Entry for a 2-, 4- or 6-digit code. */
  get(code: string): HsEntry | undefined;
  /** True when the first six digits of `code` are an HS subheading of this edition. */
  isValidSubheading(code: string): boolean;
  subheadings(): Iterable<HsEntry>;
}

class MapNomenclature implements HsNomenclature {
  constructor(
    readonly edition: string,
    private readonly entries: Map<string, HsEntry>,
  ) {}
  get(code: string): HsEntry | undefined {
    return this.entries.get(code);
  }
  isValidSubheading(code: string): boolean {
    return this.entries.get(code.slice(0, 6))?.level === 6;
  }
  *subheadings(): Iterable<HsEntry> {
    for (const e of this.entries.values()) if (e.level === 6) yield e;
  }
}

/** Parses the datasets/harmonized-system CSV (section,hscode,description,parent,level). */
export function parseHsCsv(text: string, edition = 'HS2022'): HsNomenclature {
  const rows = parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
  const entries = new Map<string, HsEntry>();
  for (const r of rows) {
    const level = Number(r.level);
    // The source has 'Commodities not specified' (99, 9999, 999999) rows in section TOTAL: not HS codes.
    if ((level !== 2 && level !== 4 && level !== 6) || r.section === 'TOTAL') continue;
    const code = r.hscode ?? '';
    entries.set(code, {
      code,
      description: r.description ?? '',
      level,
      parent: r.parent && r.parent !== 'TOTAL' ? r.parent : null,
      section: r.section ?? '',
    });
  }
  return new MapNomenclature(edition, entries);
}

let cached: HsNomenclature | undefined;

/** Loads (once per process) the HS 2022 nomenclature shipped in data/hs. */
export function loadHs2022(): HsNomenclature {
  cached ??= parseHsCsv(readFileSync(dataPath('hs', 'harmonized-system-2022.csv'), 'utf8'));
  return cached;
}
