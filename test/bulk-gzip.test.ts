/**
 * Gzip-compressed bulk files (docs/formats/README.md "Compressed files"): `POST /v1/bulk` reads a body
 * sent with Content-Encoding: gzip as a stream; a gzip body without that header is one 415 problem, not a
 * rejected record per "line" of compressed bytes. A corrupt or truncated body is one `gzip.invalid`
 * problem that lists the records read before the damage, and those alone are stored. The route's body
 * limit holds for the decompressed bytes (a gzip bomb is 413 `request.too-large`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { packageRoot } from '../src/reference/index.js';
import { generateFlood, toNdjsonLine } from '../src/sim/index.js';
import { openSqliteStore } from '../src/store/index.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const sample = (name: string) => readFileSync(join(packageRoot, 'docs', 'formats', 'samples', name));

type Answer = {
  code?: string;
  records: number;
  byStatus: Record<string, number>;
  results: { line: number; status: string; consignmentId?: string }[];
};

async function withApp(
  fn: (app: Awaited<ReturnType<typeof buildApp>>) => Promise<void>,
  bodyLimitBytes?: number,
): Promise<void> {
  const store = openSqliteStore({ memory: true });
  const app = await buildApp({
    store,
    ...(bodyLimitBytes === undefined ? {} : { bodyLimitBytes }),
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-24T10:00:00Z'),
  });
  try {
    await fn(app);
  } finally {
    await app.close();
    await store.close();
  }
}

const post = (app: Awaited<ReturnType<typeof buildApp>>, payload: Buffer, type: string, encoding?: string) =>
  app.inject({
    method: 'POST',
    url: '/v1/bulk',
    payload,
    headers: {
      'content-type': type,
      'x-submitter-id': 'opr_post',
      ...(encoding === undefined ? {} : { 'content-encoding': encoding }),
    },
  });

const storedIds = async (app: Awaited<ReturnType<typeof buildApp>>): Promise<string[]> =>
  ((await app.inject({ url: '/v1/consignments?limit=1000' })).json() as { items: { id: string }[] }).items
    .map((c) => c.id)
    .sort();

for (const [name, type] of [
  ['consignments.ndjson', 'application/x-ndjson'],
  ['consignments.csv', 'text/csv'],
] as const) {
  test(`POST /v1/bulk reads ${name} sent gzip-compressed with Content-Encoding: gzip as it reads it plain`, async () => {
    let plain: Answer | undefined;
    await withApp(async (app) => {
      const r = await post(app, sample(name), type);
      assert.equal(r.statusCode, 200, r.body);
      plain = r.json();
    });
    for (const encoding of ['gzip', 'x-gzip', 'GZIP']) {
      await withApp(async (app) => {
        const r = await post(app, gzipSync(sample(name)), type, encoding);
        assert.equal(r.statusCode, 200, r.body);
        const zipped = r.json() as Answer;
        assert.equal(zipped.records, plain!.records);
        assert.deepEqual(zipped.byStatus, plain!.byStatus);
        assert.deepEqual(
          zipped.results.map((x) => [x.line, x.status]),
          plain!.results.map((x) => [x.line, x.status]),
        );
        assert.ok((zipped.byStatus.created ?? 0) > 0, r.body);
      });
    }
  });
}

test('POST /v1/bulk answers a gzip body without Content-Encoding with one 415 problem and stores nothing', async () => {
  for (const type of ['application/x-ndjson', 'text/csv']) {
    await withApp(async (app) => {
      const r = await post(app, gzipSync(sample('consignments.ndjson')), type);
      assert.equal(r.statusCode, 415, r.body);
      assert.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(r.json().code, 'request.gzip-undeclared');
      assert.match(r.json().detail as string, /Content-Encoding: gzip/);
      assert.deepEqual(await storedIds(app), []);
    });
  }
});

test('POST /v1/bulk refuses a Content-Encoding other than gzip with 415 request.unsupported-encoding', async () => {
  await withApp(async (app) => {
    const r = await post(app, sample('consignments.ndjson'), 'application/x-ndjson', 'br');
    assert.equal(r.statusCode, 415, r.body);
    assert.equal(r.json().code, 'request.unsupported-encoding');
    assert.deepEqual(await storedIds(app), []);
  });
});

test('a truncated gzip body is one gzip.invalid problem listing the records read before the damage, and only those are stored', async () => {
  const lines = [...generateFlood({ seed: 'bulk-gzip', count: 400, day: '2026-11-24' })].map((r) =>
    toNdjsonLine(r.input),
  );
  const whole = gzipSync(Buffer.from(lines.join('')));
  await withApp(async (app) => {
    const r = await post(
      app,
      whole.subarray(0, Math.floor(whole.length / 2)),
      'application/x-ndjson',
      'gzip',
    );
    assert.equal(r.statusCode, 400, r.body);
    const answer = r.json() as Answer;
    assert.equal(answer.code, 'gzip.invalid');
    assert.match(r.json().detail as string, /corrupt or truncated/);
    assert.ok(answer.records > 0 && answer.records < lines.length, `records ${answer.records}`);
    assert.equal(answer.results.length, answer.records);
    // Every stored consignment is acknowledged in the answer, and every acknowledged one is stored.
    const acknowledged = [...new Set(answer.results.flatMap((x) => x.consignmentId ?? []))].sort();
    assert.ok(acknowledged.length > 0);
    assert.deepEqual(await storedIds(app), acknowledged);
  });
  await withApp(async (app) => {
    const corrupt = Buffer.from(whole);
    corrupt.fill(0x55, 20, 60);
    const r = await post(app, corrupt, 'application/x-ndjson', 'gzip');
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(r.json().code, 'gzip.invalid');
    const answer = r.json() as Answer;
    const acknowledged = [...new Set(answer.results.flatMap((x) => x.consignmentId ?? []))].sort();
    assert.deepEqual(await storedIds(app), acknowledged);
  });
});

const mib = 1024 * 1024;

test('a gzip bomb is refused with 413 request.too-large at the route limit of decompressed bytes', async () => {
  const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, '\n'));
  assert.ok(bomb.length < 64 * 1024, 'the compressed body is far under the limit');
  await withApp(async (app) => {
    const r = await post(app, bomb, 'application/x-ndjson', 'gzip');
    assert.equal(r.statusCode, 413, r.body);
    assert.equal(r.json().code, 'request.too-large');
    assert.equal(r.json().limit, 1024 * 1024);
    assert.match(r.json().detail as string, /decompressed body is larger than the limit of 1048576 bytes/);
    assert.equal(r.json().records, 0);
    assert.deepEqual(await storedIds(app), []);
  }, mib);
});

test('a plain bulk body over the limit is still 413 request.too-large before anything is read', async () => {
  await withApp(async (app) => {
    const r = await post(app, Buffer.alloc(1024 * 1024 + 1, '\n'), 'application/x-ndjson');
    assert.equal(r.statusCode, 413, r.body);
    assert.equal(r.json().code, 'request.too-large');
  }, mib);
});

test('a bulk file takes the bulk body limit (64 MiB by default), not the 1 MiB of small requests', async () => {
  const lines = [...generateFlood({ seed: 'bulk-limit', count: 1100, day: '2026-11-24' })].map((r) =>
    toNdjsonLine(r.input),
  );
  const body = Buffer.from(lines.join(''));
  assert.ok(body.length > 1.2 * mib, `${body.length} bytes`);
  await withApp(async (app) => {
    for (const encoding of [undefined, 'gzip'] as const) {
      const r = await post(app, encoding ? gzipSync(body) : body, 'application/x-ndjson', encoding);
      assert.equal(r.statusCode, 200, r.body.slice(0, 500));
      assert.equal((r.json() as Answer).records, lines.length);
    }
  });
});
