import fs from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import { openSqliteStore } from '../store/index.js';
import { runRegistryContract } from './registry-contract.js';
import { openSqliteRegistry } from './sqlite-registry.js';
import { scratchDir } from '../testing/scratch.js';

const dir = scratchDir('pg-registry-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

runRegistryContract('sqlite', async () => {
  const file = path.join(dir, `r${n++}.db`);
  const clearance = openSqliteStore({ file });
  return { clearance, registry: openSqliteRegistry({ file }) };
});
