/** `parcelgate c2c agreements …`: the data-sharing agreements kept in the store, from the command line. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AgreementBook, type DataSharingAgreement } from '../exchange/index.js';
import { openPgRegistry, openSqliteRegistry, type RegistryStore } from '../registry/index.js';
import { sqliteFileName } from '../store/index.js';
import { UsageError, positiveInt, usageErrorOf } from './io.js';

interface Where {
  dataDir?: string;
  postgres?: string;
}

/** Opens the registry store at a data directory or PostgreSQL URL. */
export async function openRegistryAt(o: Where): Promise<RegistryStore> {
  if (o.postgres) return openPgRegistry({ url: o.postgres });
  const dir = o.dataDir ?? process.env.PARCELGATE_DATA_DIR ?? resolve('.parcelgate');
  return openSqliteRegistry({ file: join(dir, sqliteFileName) });
}

const print = (v: unknown): void => void process.stdout.write(JSON.stringify(v) + '\n');

async function withBook<T>(o: Where, body: (b: AgreementBook) => Promise<T>): Promise<T> {
  const store = await openRegistryAt(o);
  try {
    return await body(new AgreementBook(store));
  } catch (e) {
    throw usageErrorOf(e);
  } finally {
    await store.close();
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: ${(e as Error).message}`);
  }
}

const version = (v: string | undefined): number | undefined =>
  v === undefined ? undefined : positiveInt('expect-version', v, 1);

/** The agreements stored at a location (what `c2c receive` uses without --agreements). */
export async function storedAgreements(o: Where): Promise<DataSharingAgreement[]> {
  return withBook(o, (b) => b.agreements());
}

export const agreementCommands = {
  async add(file: string, o: Where & { by: string }) {
    const json = readJson(file);
    const now = new Date().toISOString();
    await withBook(o, async (b) =>
      print(Array.isArray(json) ? await b.importAll(json, o.by, now) : await b.create(json, o.by, now)),
    );
  },
  async list(o: Where & { party?: string }) {
    await withBook(o, async (b) => {
      for (const s of await b.list(o.party)) print(s);
    });
  },
  async show(id: string, o: Where) {
    await withBook(o, async (b) => {
      const s = await b.get(id);
      if (s === undefined) throw new UsageError(`no data-sharing agreement ${id}`);
      print(s);
    });
  },
  async replace(id: string, file: string, o: Where & { by: string; expectVersion?: string }) {
    const json = readJson(file);
    await withBook(o, async (b) =>
      print(await b.replace(id, json, o.by, new Date().toISOString(), version(o.expectVersion))),
    );
  },
  async remove(id: string, o: Where & { expectVersion?: string }) {
    await withBook(o, async (b) => {
      const r = await b.remove(id, version(o.expectVersion));
      print({ removed: r.agreement.id, version: r.version });
    });
  },
};
