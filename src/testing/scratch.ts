/**
 * Scratch directories for tests, benchmarks and scripts. Each is removed when the process exits,
 * whether the run passed, failed an assertion or threw, so repeated runs never fill the disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

function removeAll(): void {
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // A child still writing into it: leave it rather than fail the exit.
    }
  }
  made.clear();
}

/** A new empty directory under the OS temp dir, named `<prefix>XXXXXX`, removed at process exit. */
export function scratchDir(prefix: string): string {
  if (made.size === 0) process.once('exit', removeAll);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Removes a scratch directory now, for long runs that would otherwise hold every one to the end. */
export function dropScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  made.delete(dir);
}
