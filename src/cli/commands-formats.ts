/**
 * `postal response|events`, `h7 export|import`, `placi export|import`, `t86 export|import`: the exchange
 * formats from the command line, over the same store the API serves.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadSnapshot, responseWithInformation } from '../clearance/index.js';
import type { ValidationIssue } from '../domain/index.js';
import {
  checkH7File,
  checkT86File,
  importH7,
  importT86,
  importPlaci,
  itemEventsOfConsignment,
  itemIdOf,
  toCustomsResponseXml,
  toEntryType86,
  toH7,
  toItemEventsXml,
  toPlaci,
  validateH7,
  validatePlaci,
  validateT86,
} from '../exchange/index.js';
import type { ClearanceStore, StoredConsignment } from '../store/index.js';
import { openClearance, type StoreLocation } from './commands-exchange.js';
import { UsageError, exitCodes, outputFile } from './io.js';

interface Out {
  out?: string;
  force?: boolean;
}

function emit(text: string, o: Out): void {
  if (o.out === undefined) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  else writeFileSync(o.out, text, { flag: outputFile('--out', o.out, { force: o.force }).flags });
}

function reportIssues(issues: readonly ValidationIssue[]): void {
  for (const i of issues) process.stderr.write(`  ${i.path ? `${i.path}: ` : ''}${i.code}: ${i.message}\n`);
}

async function withStore<T>(o: StoreLocation, fn: (s: ClearanceStore) => Promise<T>): Promise<T> {
  const store = await openClearance(o);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function consignment(store: ClearanceStore, id: string): Promise<StoredConsignment> {
  const c = await store.get(id);
  if (c === undefined) throw new UsageError(`no consignment ${id}`);
  return c;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`input file not found or unreadable: ${file}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`dataset.not-json: ${file} is not JSON (${(e as Error).message})`);
  }
}

/** Writes a dataset as JSON; its issues go to stderr and make the exit code 1. */
function emitDataset(dataset: unknown, issues: readonly ValidationIssue[], o: Out): number {
  emit(JSON.stringify(dataset, null, 2) + '\n', o);
  if (issues.length === 0) return exitCodes.ok;
  process.stderr.write(`parcelgate: the dataset has ${issues.length} issue(s):\n`);
  reportIssues(issues);
  return exitCodes.rejected;
}

/** `parcelgate postal response|events`. */
export const postalCommands = {
  async response(
    ids: string[],
    o: StoreLocation & Out & { sender?: string; recipient?: string; preparedAt?: string },
  ): Promise<void> {
    await withStore(o, async (store) => {
      const found = await Promise.all(ids.map((id) => consignment(store, id)));
      const responses = await Promise.all(found.map((c) => responseWithInformation(store, c)));
      emit(
        toCustomsResponseXml(responses, {
          itemIds: Object.fromEntries(found.map((c) => [c.id, itemIdOf(c)])),
          ...(o.sender === undefined ? {} : { sender: o.sender }),
          ...(o.recipient === undefined ? {} : { recipient: o.recipient }),
          ...(o.preparedAt === undefined ? {} : { preparedAt: o.preparedAt }),
        }),
        o,
      );
    });
  },
  async events(ids: string[], o: StoreLocation & Out & { office?: string }): Promise<void> {
    await withStore(o, async (store) => {
      const all = [];
      for (const id of ids) {
        const c = await consignment(store, id);
        all.push(...itemEventsOfConsignment(c, await store.events(c.id)));
      }
      emit(toItemEventsXml(all, o.office === undefined ? {} : { office: o.office }), o);
    });
  },
};

/** `parcelgate h7 export|import`. */
export const h7Commands = {
  async export(id: string, o: StoreLocation & Out): Promise<number> {
    return withStore(o, async (store) => {
      const c = await consignment(store, id);
      const h7 = toH7(c.merged, c.assessment.revenue);
      return emitDataset(h7, validateH7(h7), o);
    });
  },
  import(file: string, o: StoreLocation & { submitter: string; check?: boolean }): Promise<number> {
    return importDataset(file, o, 'declarations', checkH7File, importH7);
  },
};

/** `parcelgate placi export|import`. */
export const placiCommands = {
  async export(id: string, o: StoreLocation & Out): Promise<number> {
    return withStore(o, async (store) => {
      const p = toPlaci((await consignment(store, id)).merged);
      return emitDataset(p, validatePlaci(p), o);
    });
  },
  import(file: string, o: Out): number {
    const out = importPlaci(readJson(file));
    if (!out.ok) {
      process.stderr.write(`parcelgate: ${file} is not acceptable:\n`);
      reportIssues(out.issues);
      return exitCodes.rejected;
    }
    emit(out.results.map((r) => JSON.stringify(r)).join('\n') + '\n', o);
    return exitCodes.ok;
  },
};

/** Checks (`--check`) or imports a dataset file all or none; results one JSON line each on stdout. */
async function importDataset(
  file: string,
  o: StoreLocation & { submitter: string; check?: boolean },
  what: string,
  check: typeof checkH7File,
  importer: typeof importH7,
): Promise<number> {
  const json = readJson(file);
  const snapshot = loadSnapshot();
  const ctx = { actor: o.submitter, submitterId: o.submitter, now: new Date().toISOString() };
  if (o.check) {
    const checked = check(json, { snapshot: () => snapshot }, ctx);
    if (checked.ok) {
      process.stdout.write(JSON.stringify({ ok: true, [what]: checked.records.length }) + '\n');
      return exitCodes.ok;
    }
    process.stderr.write(`parcelgate: ${file} is not acceptable:\n`);
    reportIssues(checked.issues);
    return exitCodes.rejected;
  }
  return withStore(o, async (store) => {
    const out = await importer(json, { store, snapshot: () => snapshot }, ctx);
    if (!out.ok) {
      process.stderr.write(`parcelgate: ${file} is not acceptable; nothing was imported:\n`);
      reportIssues(out.issues);
      return exitCodes.rejected;
    }
    for (const r of out.results) process.stdout.write(JSON.stringify(r) + '\n');
    return out.results.some((r) => r.status === 'rejected') ? exitCodes.rejected : exitCodes.ok;
  });
}

/** `parcelgate t86 export|import`. */
export const t86Commands = {
  async export(id: string, o: StoreLocation & Out & { entryNumber?: string; on?: string }): Promise<number> {
    if (o.on !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.on))
      throw new UsageError(`--on must be a date YYYY-MM-DD, got '${o.on}'`);
    return withStore(o, async (store) => {
      const c = await consignment(store, id);
      const t = toEntryType86(c.merged, o.entryNumber === undefined ? {} : { entryNumber: o.entryNumber });
      const on = o.on ?? new Date().toISOString().slice(0, 10);
      return emitDataset(t, validateT86(t, { on }), o);
    });
  },
  import(file: string, o: StoreLocation & { submitter: string; check?: boolean }): Promise<number> {
    return importDataset(file, o, 'entries', checkT86File, importT86);
  },
};
