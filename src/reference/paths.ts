/** Where the package's shipped files (data/, schema/) live, wherever the code runs from. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`parcelgate package root not found above ${start}`);
    dir = parent;
  }
}

/** The package root (the folder holding package.json and data/). */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** Path of a file in the shipped reference data folder. */
export const dataPath = (...parts: string[]): string => join(packageRoot, 'data', ...parts);
