import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadSnapshot, submitBatch } from '../../clearance/index.js';
import { ParcelgateError } from '../../domain/index.js';
import { postalItem } from '../../testing/consignments.js';
import { generateSigningKeyPair } from '../signing/index.js';
import { cnDeAgreement, cnExportData, openC2cFixture } from '../testing/c2c-fixtures.js';
import { fieldsOutside, parseAgreements, selectFields, type DataSharingAgreement } from './agreement.js';
import { prepareExportData, receiveExportData, verifyFindings } from './exchange.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const now = '2026-11-25T10:00:00.000Z';
const cnKeys = generateSigningKeyPair();
const deKeys = generateSigningKeyPair();

const agreement: DataSharingAgreement = cnDeAgreement({
  fields: [...cnDeAgreement().fields, '/totals', '/dates'],
  legalBasis: 'Customs mutual assistance agreement, export data annex (example)',
});

const setup = (agreements: DataSharingAgreement[] = [agreement]) =>
  openC2cFixture({
    prefix: 'pg-c2c-',
    snapshot,
    agreements,
    administration: { operatorId: 'customs-de', keyId: 'de-1', privateKeyPem: deKeys.privateKeyPem },
    keys: [
      { keyId: 'cn-1', operatorId: 'customs-cn', publicKey: cnKeys.publicKey, purposes: ['export-data'] },
      { keyId: 'de-1', operatorId: 'customs-de', publicKey: deKeys.publicKey, purposes: ['findings'] },
    ],
  });

const ctx = { actor: 'customs-cn', submitterId: 'customs-cn', now };
const exportOf = (input = postalItem({ source: 'declaration' })) =>
  cnExportData(agreement, cnKeys.privateKeyPem, input);

test('signed export data under an agreement becomes pre-arrival data and signed findings go back', async () => {
  const t = await setup();
  try {
    const env = exportOf();
    const sent = JSON.parse(env.payload) as { consignment: { consignee: Record<string, unknown> } };
    assert.equal(sent.consignment.consignee.email, undefined, 'the e-mail is not a shared field');
    const { findings, envelope } = await receiveExportData(t.deps, env, ctx);
    assert.equal(findings.use, 'pre-arrival');
    assert.equal(findings.inReplyTo, 'm1');
    assert.equal(findings.to, 'customs-cn');
    const c = await t.store.get(findings.consignmentId!);
    assert.equal(c?.merged.routing.destinationCountry, 'DE');
    assert.equal(c?.submitterId, 'customs-cn');
    assert.ok(envelope !== undefined);
    assert.deepEqual(await verifyFindings(t.exchange, envelope, 'customs-de', now), findings);
    // The carrier's own data for the same parcel links to the pre-arrival record.
    const [carrier] = await submitBatch({ actor: 'post', submitterId: 'post', now }, [postalItem()], {
      store: t.store,
      snapshot: () => snapshot,
    });
    assert.equal(carrier?.consignmentId, findings.consignmentId);
  } finally {
    await t.close();
  }
});

test('a field outside the agreement is refused with its path, and nothing is stored', async () => {
  const t = await setup();
  try {
    const env = exportOf();
    const msg = JSON.parse(env.payload) as { consignment: { consignee: Record<string, unknown> } };
    msg.consignment.consignee.email = 'anna@example.org';
    const payload = JSON.stringify(msg);
    const { signPayload } = await import('../signing/index.js');
    const forged = { ...env, payload, signature: signPayload(cnKeys.privateKeyPem, 'export-data', payload) };
    await assert.rejects(receiveExportData(t.deps, forged, ctx), (e: unknown) => {
      assert.ok(e instanceof ParcelgateError);
      assert.equal(e.code, 'c2c.field-outside-agreement');
      assert.deepEqual(
        (e.details?.issues as { path: string }[]).map((i) => i.path),
        ['/consignee/email'],
      );
      return true;
    });
    assert.equal((await t.store.stats()).consignments, 0);
  } finally {
    await t.close();
  }
});

test('export data from another administration, without an agreement, or out of its dates is refused', async () => {
  const t = await setup([{ ...agreement, to: '2026-06-01' }]);
  try {
    await assert.rejects(receiveExportData(t.deps, exportOf(), ctx), { code: 'c2c.no-agreement' });
    await assert.rejects(
      receiveExportData(t.deps, exportOf(), { ...ctx, submitterId: 'customs-de' }),
      (e: unknown) => {
        assert.ok(e instanceof ParcelgateError && e.code === 'c2c.signature-refused');
        return true;
      },
    );
  } finally {
    await t.close();
  }
});

test('an agreement without the core record fields feeds risk only and creates no consignment', async () => {
  const narrow = { ...agreement, fields: ['/transportDocument', '/items', '/routing'] };
  const t = await setup([narrow]);
  try {
    const env = prepareExportData(
      postalItem(),
      narrow,
      { exportReference: 'X', exportedAt: now },
      { keyId: 'cn-1', privateKeyPem: cnKeys.privateKeyPem },
    );
    const { findings } = await receiveExportData(t.deps, env, ctx);
    assert.equal(findings.use, 'risk-only');
    assert.equal(findings.consignmentId, null);
    assert.equal((await t.store.stats()).consignments, 0);
  } finally {
    await t.close();
  }
});

test('what selectFields keeps never falls outside the agreement, and covered fields survive unchanged', () => {
  const key = fc.constantFrom('a', 'b', 'c', 'd');
  const tree = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.integer(),
      fc.array(fc.string(), { maxLength: 2 }),
      fc.dictionary(key, tie('node'), { maxKeys: 3 }),
    ),
  })).node;
  const path = fc.array(key, { minLength: 1, maxLength: 3 }).map((ks) => `/${ks.join('/')}`);
  fc.assert(
    fc.property(
      fc.dictionary(key, tree, { maxKeys: 4 }),
      fc.array(path, { minLength: 1, maxLength: 4 }),
      (value, fields) => {
        const kept = selectFields(value, fields);
        assert.deepEqual(fieldsOutside(kept, fields), []);
        for (const f of fields) {
          const get = (o: unknown) =>
            f
              .split('/')
              .slice(1)
              .reduce<unknown>(
                (x, k) =>
                  typeof x === 'object' && x !== null && !Array.isArray(x)
                    ? (x as Record<string, unknown>)[k]
                    : undefined,
                o,
              );
          if (get(value) !== undefined) assert.deepEqual(get(kept), get(value));
        }
      },
    ),
  );
});

test('agreement files are checked with the failing path named', () => {
  assert.deepEqual(parseAgreements([agreement]), [agreement]);
  assert.throws(
    () => parseAgreements([{ ...agreement, fields: ['items'] }]),
    (e: unknown) =>
      e instanceof ParcelgateError && e.code === 'c2c.agreement-invalid' && /\/0\/fields\/0/.test(e.message),
  );
});
