/** (c) Peak RSS of `parcelgate ingest` on NDJSON files of growing size: memory must stay flat. */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { generateFlood } from '../src/sim/index.js';
import { dropScratch } from '../src/testing/scratch.js';
import { fmt, tempDir } from './util.js';

async function writeNdjson(file: string, megabytes: number): Promise<number> {
  const out = createWriteStream(file);
  const target = megabytes * 1024 * 1024;
  let written = 0;
  let n = 0;
  // One flood, large enough for the target size, so every parcel has its own transport document.
  const parcels = Math.ceil(target / 1100);
  {
    for (const r of generateFlood({ seed: 'mem', count: parcels, day: '2026-11-27' })) {
      const line = JSON.stringify(r.input) + '\n';
      written += line.length;
      n++;
      if (!out.write(line)) await once(out, 'drain');
      if (written >= target) break;
    }
  }
  out.end();
  await once(out, 'finish');
  return n;
}

async function peakRss(file: string): Promise<{ peakMb: number; secs: number; out: string }> {
  const db = tempDir('mem-db');
  const child = spawn(
    process.execPath,
    [join(packageRoot, 'bin', 'parcelgate.js'), 'ingest', file, '--data-dir', db],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, CI: 'true' },
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  // Peak of the summed RSS of the command's whole process tree (it may run in a child process).
  let peakKb = 0;
  const t0 = performance.now();
  const treeRssKb = (pid: number): number => {
    let kb = 0;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += m ? Number(m[1]) : 0;
      for (const t of readdirSync(`/proc/${pid}/task`)) {
        const kids = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim();
        for (const k of kids ? kids.split(/\s+/) : []) kb += treeRssKb(Number(k));
      }
    } catch {
      /* process ended */
    }
    return kb;
  };
  const timer = setInterval(() => {
    if (child.pid !== undefined) peakKb = Math.max(peakKb, treeRssKb(child.pid));
  }, 100);
  await once(child, 'exit');
  clearInterval(timer);
  dropScratch(db);
  return { peakMb: peakKb / 1024, secs: (performance.now() - t0) / 1000, out: out.trim() };
}

/** Runs benchmark (c). */
export async function benchMemory(bigMb: number, say: (s: string) => void): Promise<void> {
  const dir = tempDir('mem');
  say('');
  say(
    `(c) peak RSS of 'parcelgate ingest' (its whole process tree, sampled every 100 ms) by NDJSON file size`,
  );
  for (const mb of [Math.max(16, Math.round(bigMb / 16)), bigMb]) {
    const file = join(dir, `flood-${mb}.ndjson`);
    const n = await writeNdjson(file, mb);
    const r = await peakRss(file);
    say(
      `    ${fmt(statSync(file).size / 1e6)} MB, ${fmt(n)} records: peak RSS ${r.peakMb.toFixed(0)} MB, ${fmt(n / r.secs)} records/s  ${r.out}`,
    );
    rmSync(file);
  }
  dropScratch(dir);
  say('    floor: < 300 MB whatever the file size');
}
