import { after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { buildApp, openRegistryServices } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteRegistry } from '../src/registry/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { runOperatorScenarios } from './operator-scenarios.js';
import { scratchDir } from '../src/testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const dir = scratchDir('pg-operators-api-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

runOperatorScenarios('sqlite', async () => {
  const file = path.join(dir, `a${n++}.db`);
  const store = openSqliteStore({ file });
  const clock = () => new Date('2026-11-27T10:00:00Z');
  const registry = await openRegistryServices(openSqliteRegistry({ file }), store, { clock });
  return { a: await buildApp({ store, snapshot: () => snapshot, clock, registry }) };
});
