/**
 * The partnership and returns commands (`rights-holders`, `brands`, `cases`, `notices`, `operators
 * enforcement`, `returns record|list|show|act`) run in-process through the real command parser, on
 * SQLite and on PostgreSQL.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../src/cli/main.js';
import { loadSnapshot, recordCarrierEvent, submitBatch } from '../src/clearance/index.js';
import { openPostgresStore, openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import { postgresTest } from '../src/store/postgres/testing/pg-suite.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const tmp = scratchDir('parcelgate-pcli-');
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  out: string;
  err: string;
  error?: Error;
}

/** Runs one command line in this process, capturing stdout and stderr. */
async function cli(args: string[]): Promise<Run> {
  // Let the test reporter write what it has queued before stdout is captured.
  await new Promise((r) => setImmediate(r));
  const out: string[] = [];
  const err: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const ewrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string) => (out.push(String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string) => (err.push(String(c)), true)) as typeof process.stderr.write;
  try {
    await buildProgram().parseAsync(['node', 'parcelgate', ...args]);
    return { out: out.join(''), err: err.join('') };
  } catch (e) {
    return { out: out.join(''), err: err.join(''), error: e as Error };
  } finally {
    process.stdout.write = write;
    process.stderr.write = ewrite;
  }
}

const file = (name: string, v: unknown) => {
  const f = join(tmp, name);
  writeFileSync(f, JSON.stringify(v));
  return f;
};

async function seed(store: ClearanceStore, serials: string[]): Promise<string[]> {
  const snapshot = loadSnapshot({ randomRate: 0 });
  const ctx = { actor: 'postnl', submitterId: 'postnl', now: '2026-11-27T10:00:00.000Z' };
  const records = serials.map((s) => ({
    ...postalItem({}, s),
    platform: { id: 'MKT', orderId: `ORD-${s}`, sellerId: 'S-77' },
  }));
  const results = await submitBatch(ctx, records, { store, snapshot: () => snapshot });
  const ids = results.map((r) => r.consignmentId!);
  // The first parcel arrives, so the consignee can refuse it.
  await recordCarrierEvent({ ...ctx, now: '2026-11-28T08:00:00.000Z' }, store, ids[0]!, {
    type: 'arrived',
  });
  return ids;
}

async function scenario(name: string, where: string[], ids: string[]): Promise<void> {
  const ok = async (args: string[]) => {
    const r = await cli([...args, ...where]);
    assert.equal(r.error, undefined, `${args.join(' ')}: ${r.error?.message}\n${r.err}`);
    return r;
  };
  const json = async (args: string[]) => JSON.parse((await ok(args)).out);

  // Partnership: rights holder, brand, case with evidence, confirmation, notice, answer.
  const platform = await json([
    'operators',
    'register',
    file(`${name}-platform.json`, {
      id: 'opr_mkt',
      kind: 'platform',
      name: 'Marketplace',
      country: 'NL',
      identifiers: [{ scheme: 'PLATFORM', value: 'MKT' }],
    }),
  ]);
  const holder = await json([
    'rights-holders',
    'add',
    file(`${name}-holder.json`, { name: 'Acme Brands AG', country: 'CH', contactEmail: 'ipr@acme.example' }),
  ]);
  assert.match(holder.id, /^rhd_/);
  const brand = await json([
    'brands',
    'add',
    holder.id,
    file(`${name}-brand.json`, { name: 'Acmewear', priceFloorEur: '80.00', genuineHints: ['hologram'] }),
  ]);
  assert.equal(brand.priceFloorEur, '80.00');
  assert.deepEqual(brand.aliases, [], 'schema defaults applied');
  const again = await cli([
    'brands',
    'add',
    holder.id,
    file(`${name}-brand2.json`, { name: 'acmewear', priceFloorEur: '1.00' }),
    ...where,
  ]);
  assert.match(String(again.error?.message), /brand.exists/);
  const badBrand = await cli([
    'brands',
    'add',
    holder.id,
    file(`${name}-brand3.json`, { name: 'X', priceFloorEur: '1,5' }),
    ...where,
  ]);
  assert.match(String(badBrand.error?.message), /\/priceFloorEur/, 'the bad field is named');
  const badSeller = await cli([
    'brands',
    'add',
    holder.id,
    file(`${name}-brand4.json`, { name: 'Y', priceFloorEur: '5.00', authorisedSellers: ['MKT/S-1', 'S-77'] }),
    ...where,
  ]);
  assert.match(
    String(badSeller.error?.message),
    /\/authorisedSellers\/1/,
    'a seller key without its platform is named',
  );
  const list = await ok(['brands', 'list']);
  assert.match(list.out, /Acmewear\tfloor EUR 80\.00/);

  const opened = await json([
    'cases',
    'open',
    '--kind',
    'counterfeit',
    '--consignment',
    ids[1]!,
    '--brand',
    brand.id,
    '--listing-url',
    'https://mkt.example/l/1',
  ]);
  assert.equal(opened.state, 'opened');
  assert.equal(opened.platformId, 'MKT', 'platform from the consignment');
  assert.equal(opened.sellerId, 'S-77', 'seller from the consignment');
  assert.equal(opened.platformOperatorId, platform.id);
  const withEvidence = await json([
    'cases',
    'evidence',
    opened.id,
    '--kind',
    'photo',
    '--reference',
    'IMG-1',
  ]);
  assert.equal(withEvidence.evidence.length, 1);
  const badAction = await cli(['cases', 'act', opened.id, 'explode', '--reason', 'why not', ...where]);
  assert.match(String(badAction.error?.message), /\/action/);
  const confirmed = await json(['cases', 'act', opened.id, 'confirm', '--reason', 'lab report: fake']);
  assert.equal(confirmed.state, 'confirmed');
  assert.match(confirmed.noticeId, /^ntc_/);
  assert.match(confirmed.sellerOperatorId, /^opr_/, 'the seller is registered by its platform seller id');
  const cases = await ok(['cases', 'list', '--consignment', ids[1]!]);
  assert.match(cases.out, new RegExp(`${opened.id}\tcounterfeit\tconfirmed`));
  const shown = await json(['cases', 'show', opened.id]);
  assert.equal(shown.notice.id, confirmed.noticeId);

  const polled = await json(['notices', 'list', '--platform', platform.id]);
  assert.equal(polled.items.length, 1);
  assert.equal(polled.items[0].listingUrl, 'https://mkt.example/l/1');
  const wrong = await cli([
    'notices',
    'answer',
    confirmed.noticeId,
    'listing-removed',
    '--platform',
    'opr_other',
    ...where,
  ]);
  assert.match(String(wrong.error?.message), /notice.wrong-platform/);
  const answered = await json([
    'notices',
    'answer',
    confirmed.noticeId,
    'seller-suspended',
    '--platform',
    platform.id,
    '--note',
    'account closed',
  ]);
  assert.equal(answered.answer.action, 'seller-suspended');
  const twice = await cli([
    'notices',
    'answer',
    confirmed.noticeId,
    'no-action',
    '--platform',
    platform.id,
    ...where,
  ]);
  assert.match(String(twice.error?.message), /notice.already-answered/);
  const next = await json(['notices', 'list', '--platform', platform.id, '--after', String(polled.cursor)]);
  assert.equal(next.items.length, 1, 'the answer is a change the platform sees after its cursor');
  const history = await json(['operators', 'enforcement', confirmed.sellerOperatorId]);
  assert.equal(history.confirmedCases, 1);
  assert.equal(history.answers[0].action, 'seller-suspended');

  // Returns: record (the clearance event too), list, show with the refund position, act.
  const recorded = await ok([
    'returns',
    'record',
    '--consignment',
    ids[0]!,
    '--kind',
    'refused',
    '--reason',
    'duties-not-accepted',
    '--json',
  ]);
  const ret = JSON.parse(recorded.out);
  assert.equal(ret.state, 'registered');
  assert.ok(ret.refund.lines.length > 0);
  const dup = await cli([
    'returns',
    'record',
    '--consignment',
    ids[0]!,
    '--kind',
    'refused',
    '--reason',
    'damaged',
    ...where,
  ]);
  assert.match(String(dup.error?.message), /return.already-registered/);
  const badItems = await cli([
    'returns',
    'record',
    '--consignment',
    ids[2]!,
    '--kind',
    'customs-return',
    '--reason',
    'other',
    '--items',
    '0,x',
    ...where,
  ]);
  assert.match(String(badItems.error?.message), /--items/);
  const notAllowed = await cli([
    'returns',
    'record',
    '--consignment',
    ids[2]!,
    '--kind',
    'refused',
    '--reason',
    'other',
    ...where,
  ]);
  assert.match(String(notAllowed.error?.message), /state.transition-not-allowed/, 'refused before arrival');
  const listed = await ok(['returns', 'list', '--consignment', ids[0]!]);
  assert.match(listed.out, new RegExp(`${ret.id}\t${ids[0]}\trefused\tduties-not-accepted\tregistered`));
  const shownReturn = await ok(['returns', 'show', ret.id]);
  assert.match(shownReturn.out, /treatment/);
  for (const l of ret.refund.lines)
    assert.ok(shownReturn.out.includes(l.amount), `line ${l.type} ${l.amount} shown`);
  assert.match(
    shownReturn.out,
    new RegExp(`repayable by customs ${ret.refund.repayable.replace('.', '\\.')} ${ret.refund.currency}`),
  );
  const reexported = await ok(['returns', 'act', ret.id, 're-export', '--export-reference', 'EX-1']);
  assert.match(reexported.out, /state re-exported/);
  const refusedAct = await cli([
    'returns',
    'act',
    ret.id,
    'pay-refund',
    '--payment-reference',
    'P1',
    ...where,
  ]);
  assert.match(String(refusedAct.error?.message), /return.transition-not-allowed/);
  const stats = await json(['returns', 'stats', '--from', '2026-01-01', '--to', '2027-01-01']);
  assert.equal(stats.total, 1);
}

test('partnership and returns commands on SQLite', async () => {
  const dataDir = join(tmp, 'sqlite');
  const store = openSqliteStore({ dataDir });
  const ids = await seed(store, ['31000001', '31000002', '31000003']);
  await store.close();
  await scenario('sqlite', ['--data-dir', dataDir], ids);
});

postgresTest('partnership and returns commands on PostgreSQL', 'pcli', async (url, schema) => {
  const store = await openPostgresStore({ url, schema, poolSize: 2 });
  const ids = await seed(store, ['31000011', '31000012', '31000013']);
  await store.close();
  process.env['PARCELGATE_PG_SCHEMA'] = schema;
  try {
    await scenario('pg', ['--postgres', url], ids);
  } finally {
    delete process.env['PARCELGATE_PG_SCHEMA'];
  }
});
