/**
 * Intake applies the data set a submitter's status grants (AEO "fewer data elements where the law
 * allows", by configuration), and records intake rejects count in the data-quality scorecards
 * without anything of the rejected record being stored.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp, openRegistryServices } from '../src/api/index.js';
import { loadSnapshot, prepareBatch } from '../src/clearance/index.js';
import { reducedDataSet } from '../src/intake/index.js';
import { parseFacilitationPolicy, type FacilitationPolicy } from '../src/operators/index.js';
import { rejectionCollection } from '../src/quality/index.js';
import { openSqliteRegistry, type RegistryStore } from '../src/registry/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const dir = scratchDir('pg-data-sets-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function open(policy?: FacilitationPolicy): Promise<{ a: FastifyInstance; registry: RegistryStore }> {
  const file = path.join(dir, `d${n++}.db`);
  const store = openSqliteStore({ file });
  const clock = () => new Date('2026-11-27T10:00:00Z');
  const registryStore = openSqliteRegistry({ file });
  const registry = await openRegistryServices(registryStore, store, { clock, ...(policy ? { policy } : {}) });
  return { a: await buildApp({ store, snapshot: () => snapshot, clock, registry }), registry: registryStore };
}

async function operatorWith(
  a: FastifyInstance,
  level: string | undefined,
  name: string,
): Promise<{ id: string; statusId?: string }> {
  const op = await a.inject({
    method: 'POST',
    url: '/v1/operators',
    payload: { kind: 'postal-operator', name, country: 'DE', identifiers: [], contacts: [] },
  });
  assert.equal(op.statusCode, 201, op.body);
  const id = op.json().id as string;
  if (level === undefined) return { id };
  const st = await a.inject({
    method: 'POST',
    url: `/v1/operators/${id}/statuses`,
    payload: { level, issuer: 'DE', reference: `DE${level}1`, validFrom: '2026-01-01T00:00:00Z' },
  });
  assert.equal(st.statusCode, 201, st.body);
  return { id, statusId: st.json().id as string };
}

const submit = (a: FastifyInstance, who: string, record: object) =>
  a.inject({ method: 'POST', url: '/v1/consignments', headers: { 'x-submitter-id': who }, payload: record });

const noSeller = (serial: string) => ({ ...postalItem({}, serial), seller: undefined });

test('an AEO-S post may omit the seller; others may not; suspension withdraws the reduced set', async () => {
  const { a } = await open();
  const aeo = await operatorWith(a, 'AEOS', 'Trusted Post');
  const plain = await operatorWith(a, undefined, 'Plain Post');

  const ok = await submit(a, aeo.id, noSeller('20000001'));
  assert.equal(ok.statusCode, 201, ok.body);

  for (const who of [plain.id, 'opr_unregistered']) {
    const r = await submit(a, who, noSeller('20000002'));
    assert.equal(r.statusCode, 422, r.body);
    assert.deepEqual(
      r.json().issues.map((i: { code: string; path: string }) => [i.code, i.path]),
      [['source.required-field', '/seller']],
    );
  }
  const facilitation = (
    await a.inject({ method: 'GET', url: `/v1/operators/${aeo.id}/facilitation` })
  ).json();
  assert.equal(facilitation.dataSet, 'reduced');

  await a.inject({
    method: 'POST',
    url: `/v1/statuses/${aeo.statusId}/actions`,
    payload: { action: 'suspend', reason: 'audit findings', at: '2026-11-01T00:00:00Z' },
  });
  const suspended = await submit(a, aeo.id, noSeller('20000003'));
  assert.equal(suspended.statusCode, 422, 'a suspended AEO is held to the full set');
});

test('a configured stricter set for dishonest enterprises is applied at intake; unknown elements are refused', async () => {
  const policy = parseFacilitationPolicy({
    dataSets: {
      sets: {
        full: { 'postal-item': ['transportDocument', 'seller', 'consignee'] },
        reduced: { 'postal-item': ['transportDocument', 'consignee'] },
        strict: {
          'postal-item': ['transportDocument', 'seller', 'consignee', 'items.hsCode', 'consignee.contact'],
        },
      },
      byLevel: { 'cn-dishonest': 'strict' },
    },
  });
  const { a } = await open(policy);
  const bad = await operatorWith(a, 'cn-dishonest', 'Dishonest Express');
  const p = postalItem({}, '20000011');
  const record = {
    ...p,
    items: [{ ...p.items[0]!, hsCode: undefined }],
    consignee: { ...p.consignee!, email: undefined },
  };
  const r = await submit(a, bad.id, record);
  assert.equal(r.statusCode, 422, r.body);
  assert.deepEqual(
    r.json().issues.map((i: { path: string }) => i.path),
    ['/items/0/hsCode', '/consignee/phone'],
  );
  assert.match(r.json().issues[0].message, /strict data set/);
  const fine = await submit(a, 'opr_anyone', {
    ...record,
    transportDocument: postalItem({}, '20000012').transportDocument,
  });
  assert.equal(fine.statusCode, 201, 'the full set does not ask for HS codes');

  assert.throws(
    () => parseFacilitationPolicy({ dataSets: { sets: { full: { 'postal-item': ['sellerz'] } } } }),
    { code: 'operators.data-set-invalid' },
  );
  assert.throws(() => parseFacilitationPolicy({ dataSets: { sets: { reduced: {} } } }), {
    code: 'operators.data-set-invalid',
  });
  assert.throws(() => parseFacilitationPolicy({ levels: { AEOX: {} } }), {
    code: 'operators.policy-invalid',
  });
});

test('the data set travels with the batch context (as it does to a preparation worker)', () => {
  const ctx = { actor: 't', submitterId: 't', now: '2026-11-27T10:00:00.000Z' };
  const records = [noSeller('20000021')];
  assert.equal(prepareBatch(records, snapshot, ctx).rejected.length, 1);
  assert.equal(prepareBatch(records, snapshot, { ...ctx, intake: reducedDataSet }).rejected.length, 0);
});

test('rejected records count in the scorecards; only submitter, time and issue codes are kept', async () => {
  const { a, registry } = await open();
  await submit(a, 'opr_sloppy', postalItem({}, '30000001'));
  const p = postalItem({}, '30000002');
  const rejected = [
    { ...p, seller: undefined },
    {
      ...p,
      transportDocument: postalItem({}, '30000003').transportDocument,
      items: [{ ...p.items[0]!, hsCode: '999999' }],
    },
  ];
  const batch = await a.inject({
    method: 'POST',
    url: '/v1/consignments',
    headers: { 'x-submitter-id': 'opr_sloppy' },
    payload: { consignments: rejected },
  });
  assert.deepEqual(
    batch.json().results.map((r: { status: string }) => r.status),
    ['rejected', 'rejected'],
  );
  const q = (
    await a.inject({ method: 'GET', url: '/v1/quality/scorecards?from=2026-11-27&to=2026-11-28' })
  ).json();
  const card = q.submitters.find((s: { submitterId: string }) => s.submitterId === 'opr_sloppy').overall;
  assert.equal(card.records, 3);
  assert.equal(card.rejected, 2);
  assert.equal(card.rejectedShare, 0.667);
  assert.deepEqual(card.rejectedByCode, { 'source.required-field': 1, 'item.hs-code-unknown': 1 });
  assert.equal(card.missingByElement.seller, 1);
  // One of the three records declares an invalid HS code: the rejected record's valid codes, and the
  // other records', count in the share too (docs/quality.md).
  assert.equal(card.invalidHsShare, 0.333, 'the rejected HS code counts as invalid, over all records');
  assert.ok(card.completeness < 1);
  assert.ok(card.findings.some((f: string) => f.startsWith('most frequent rejection')));

  const kept = await registry.find<unknown>({ collection: rejectionCollection });
  assert.equal(kept.length, 1);
  const text = JSON.stringify(kept[0]!.doc);
  for (const secret of ['Anna', 'Schmidt', 'Shenzhen', 'RR', '999999', 'T-shirt', 'ORD-'])
    assert.ok(!text.includes(secret), `${secret} is not kept`);
  assert.deepEqual(Object.keys(kept[0]!.doc as object).sort(), ['at', 'records', 'submitterId']);
});
