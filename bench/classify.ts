/**
 * HS classification speed (floor: well under a millisecond per description), with the tokeniser alone
 * as the same-run baseline: generated marketplace item descriptions and the two evaluation sets, each
 * classified in full (top 5, calibrated, explained; no memo). Reports wall time and main-thread CPU per
 * description (CPU holds up on a loaded machine), and the slowest 1 %.
 * `node dist/bench/run.js classify`; BENCH_CLASSIFY (default 5,000 descriptions).
 */
import { readFileSync } from 'node:fs';
import { classify, loadClassifier, readClassifyCsv, tokenise } from '../src/classify/index.js';
import { dataPath } from '../src/reference/index.js';
import { generateFlood } from '../src/sim/index.js';

export function benchClassify(n: number, say: (line: string) => void): void {
  const t0 = performance.now();
  const c = loadClassifier();
  const build = performance.now() - t0;
  const descriptions: string[] = [];
  for (const file of ['eval-public.csv', 'eval-rulings.csv'])
    for (const r of readClassifyCsv(readFileSync(dataPath('classify', file), 'utf8')))
      descriptions.push(r.description);
  for (const r of generateFlood({ seed: 'bench-classify', count: n, day: '2026-11-27' })) {
    for (const it of (r.input as { items?: { description?: string }[] }).items ?? [])
      if (it.description) descriptions.push(it.description);
    if (descriptions.length >= n) break;
  }
  const set = descriptions.slice(0, n);
  for (const d of set.slice(0, 200)) classify(c, d); // warm-up
  const run = (f: (d: string) => unknown) => {
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    for (const d of set) f(d);
    const wall = performance.now() - w0;
    const cpu = process.cpuUsage(cpu0);
    return { wallUs: (wall * 1000) / set.length, cpuUs: (cpu.user + cpu.system) / set.length };
  };
  const base = run((d) => tokenise(d, c.vocabulary.lexicon));
  const full = run((d) => classify(c, d));
  const each = set.map((d) => {
    const s = performance.now();
    classify(c, d);
    return (performance.now() - s) * 1000;
  });
  each.sort((a, b) => a - b);
  const p99 = each[Math.floor(each.length * 0.99)]!;
  say(
    `classify: ${set.length} descriptions (generated items + evaluation sets); build ${(build / 1000).toFixed(2)} s once`,
  );
  say(
    `  tokenise only   ${base.wallUs.toFixed(1).padStart(7)} µs wall, ${base.cpuUs.toFixed(1).padStart(7)} µs CPU  (baseline)`,
  );
  say(
    `  classify        ${full.wallUs.toFixed(1).padStart(7)} µs wall, ${full.cpuUs.toFixed(1).padStart(7)} µs CPU  ` +
      `(${(full.cpuUs / base.cpuUs).toFixed(1)}x of tokenise; p99 ${p99.toFixed(0)} µs; floor 1,000 µs: ${full.cpuUs < 1000 ? 'met' : 'NOT met'})`,
  );
}
