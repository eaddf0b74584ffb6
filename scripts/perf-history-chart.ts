/**
 * Draws docs/img/perf-history.svg from the table of full bench runs in docs/performance.md (between
 * its `full-runs` markers): for each run, the end-to-end rate beside the raw insert of the same rows,
 * and the HTTP rate beside the bare parse of the same bodies, each panel with its floor. `npm run schema`
 * writes it with the other generated files; a test keeps the committed chart in step with the table.
 */
import { escapeXml as esc } from '../src/analytics/index.js';

/** One full run as the table gives it. */
export interface FullRun {
  run: string;
  e2e: number;
  raw: number;
  http: number;
  bare: number;
}

/** The rows between `<!-- full-runs:start -->` and `<!-- full-runs:end -->`. */
export function parseFullRuns(markdown: string): FullRun[] {
  const start = markdown.indexOf('<!-- full-runs:start -->');
  const end = markdown.indexOf('<!-- full-runs:end -->');
  if (start < 0 || end < start) throw new Error('no full-runs table (markers missing)');
  const rows = markdown
    .slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('| 2'));
  if (rows.length === 0) throw new Error('the full-runs table has no rows');
  return rows.map((l) => {
    const c = l.split('|').map((x) => x.trim());
    const n = (i: number): number => {
      const v = Number((c[i] ?? '').replace(/,/g, ''));
      if (!Number.isFinite(v) || v <= 0)
        throw new Error(`full-runs row '${c[1] ?? ''}': column ${i} is not a rate`);
      return v;
    };
    return { run: c[1] ?? '', e2e: n(2), raw: n(3), http: n(5), bare: n(6) };
  });
}

/** One panel of paired bars (baseline grey, parcelgate blue) with a dashed floor line. */
function panel(
  x0: number,
  title: string,
  runs: FullRun[],
  pick: (r: FullRun) => [number, number],
  floor: number,
  names: [string, string],
): string {
  const w = 430;
  const h = 230;
  const top = 40;
  const left = 56;
  const max = Math.max(floor, ...runs.flatMap(pick)) * 1.1;
  const y = (v: number): number => top + h - (v / max) * h;
  const slot = (w - left) / runs.length;
  const bar = slot * 0.34;
  const out: string[] = [`<text x="${x0 + left}" y="22" font-weight="bold">${esc(title)}</text>`];
  for (let t = 0; t <= max; t += max > 40000 ? 10000 : 5000) {
    out.push(
      `<line x1="${x0 + left}" x2="${x0 + w}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/>`,
      `<text x="${x0 + left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${t.toLocaleString('en')}</text>`,
    );
  }
  runs.forEach((r, i) => {
    const [base, ours] = pick(r);
    const cx = x0 + left + slot * i + slot / 2;
    out.push(
      `<rect x="${cx - bar}" y="${y(base)}" width="${bar}" height="${top + h - y(base)}" fill="#b8b8b8"><title>${names[0]}: ${base.toLocaleString('en')}/s</title></rect>`,
      `<rect x="${cx}" y="${y(ours)}" width="${bar}" height="${top + h - y(ours)}" fill="#2f6db5"><title>${names[1]}: ${ours.toLocaleString('en')}/s</title></rect>`,
      `<text x="${cx}" y="${top + h + 14}" text-anchor="middle" font-size="10">${esc(r.run.slice(5))}</text>`,
    );
  });
  out.push(
    `<line x1="${x0 + left}" x2="${x0 + w}" y1="${y(floor)}" y2="${y(floor)}" stroke="#c0392b" stroke-dasharray="6 4"/>`,
    `<text x="${x0 + w}" y="${y(floor) - 4}" text-anchor="end" font-size="11" fill="#c0392b">floor ${floor.toLocaleString('en')}/s</text>`,
    `<rect x="${x0 + left}" y="${top + h + 26}" width="10" height="10" fill="#b8b8b8"/>`,
    `<text x="${x0 + left + 14}" y="${top + h + 35}" font-size="11">${esc(names[0])}</text>`,
    `<rect x="${x0 + left + 190}" y="${top + h + 26}" width="10" height="10" fill="#2f6db5"/>`,
    `<text x="${x0 + left + 204}" y="${top + h + 35}" font-size="11">${esc(names[1])}</text>`,
  );
  return out.join('\n');
}

/** The chart of `runs` as an SVG document. */
export function renderFullRunsSvg(runs: FullRun[]): string {
  const body = [
    panel(0, '(a) end-to-end on SQLite, consignments/s', runs, (r) => [r.raw, r.e2e], 15000, [
      'raw insert of the same rows',
      'parcelgate (writer thread)',
    ]),
    panel(470, '(b) HTTP batch ingest, consignments/s', runs, (r) => [r.bare, r.http], 10000, [
      'bare parse of the same bodies',
      'parcelgate API',
    ]),
  ].join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="920" height="320" viewBox="0 0 920 320" font-family="sans-serif" font-size="12">\n<rect width="920" height="320" fill="#fff"/>\n${body}\n</svg>\n`;
}
