import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import { loadSnapshot, submitBatch } from '../clearance/index.js';
import type { ConsignmentInput } from '../domain/index.js';
import { sqliteBackend, pgBackend, type Backend } from '../secstore/testing.js';
import { bothStores } from '../store/postgres/testing/pg-suite.js';
import { postalItem } from '../testing/consignments.js';
import { AuditLog } from '../audit/index.js';
import { encryptingStore } from './encrypting-store.js';
import { logRedactPaths, purgedValue } from './fields.js';
import { decryptValue, encryptValue, newDataKey, parseKeyring } from './keyring.js';
import { rekeyPersonalData } from './rekey.js';
import { purgePersonalData } from './retention.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const ring1 = parseKeyring(newDataKey('k1'));
const secretId = 'DE-PERSONAL-4711-0815';

function withIdentity(serial: string, name = 'Anna Schmidt', idValue = secretId): ConsignmentInput {
  const r = postalItem({}, serial);
  r.consignee = { ...r.consignee!, name, id: { type: 'PERSONAL', value: idValue }, phone: '+49 30 1234567' };
  return r;
}

test('encryption round-trips any value and refuses tampered ciphertext or unknown keys', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (v) => {
      if (v.startsWith('enc:v1:')) return;
      const e = encryptValue(ring1, v);
      assert.notEqual(e, v);
      assert.equal(decryptValue(ring1, e), v);
    }),
    { numRuns: 200 },
  );
  const e = encryptValue(ring1, 'abc');
  const raw = Buffer.from(e.slice('enc:v1:k1:'.length), 'base64');
  raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
  assert.throws(() => decryptValue(ring1, `enc:v1:k1:${raw.toString('base64')}`));
  assert.throws(() => decryptValue(parseKeyring(newDataKey('k9')), e), /data key 'k1'/);
  assert.throws(() => parseKeyring('k1:c2hvcnQ='), /32-byte/);
  assert.throws(() => parseKeyring(''), /no key/);
});

test('log lines redact credentials and personal fields', () => {
  let out = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  const log = pino({ redact: { paths: [...logRedactPaths], censor: '[redacted]' } }, sink);
  log.info(
    { req: { headers: { authorization: 'Bearer pgk_secret' } }, record: withIdentity('12345678') },
    'x',
  );
  assert.ok(!out.includes('pgk_secret'));
  assert.ok(!out.includes(secretId));
  assert.ok(!out.includes('Anna Schmidt'));
  assert.ok(out.includes('[redacted]'));
});

function suite(name: string, make: () => Promise<Backend>) {
  describe(`personal data (${name})`, () => {
    test('identity numbers are encrypted at rest and plain through the store; rotation and rekey', async () => {
      const b = await make();
      try {
        const store = encryptingStore(b.store, ring1);
        const ctx = { actor: 'op', submitterId: 'op', now: '2026-01-10T10:00:00.000Z' };
        const held = withIdentity('12345678');
        held.category = 'gift';
        held.items[0]!.description = 'gift';
        const [r] = await submitBatch(ctx, [held], { store, snapshot: () => snapshot });
        assert.equal(r!.status, 'created');
        const id = r!.consignmentId!;
        assert.equal((await store.get(id))!.merged.consignee!.id!.value, secretId);
        assert.equal((await store.get(id))!.sources[0]!.data.consignee!.id!.value, secretId);
        const dump = await b.dump();
        assert.ok(!dump.includes(secretId), 'no plain identity number in the database');
        assert.ok(dump.includes('enc:v1:k1:'));
        // identical resubmission is recognised; an amendment keeps the number readable
        const [again] = await submitBatch(ctx, [held], {
          store,
          snapshot: () => snapshot,
        });
        assert.equal(again!.status, 'unchanged');
        const amended = withIdentity('12345678');
        const [am] = await submitBatch({ ...ctx, now: '2026-01-11T10:00:00.000Z' }, [amended], {
          store,
          snapshot: () => snapshot,
        });
        assert.equal(am!.status, 'amended', JSON.stringify(am));
        const history = await store.history(id);
        assert.equal(history[0]!.merged.consignee!.id!.value, secretId);
        assert.ok(!(await b.dump()).includes(secretId));
        // rotation: k2 current, k1 still readable; rekey moves everything to k2
        const ring2 = parseKeyring(
          `${newDataKey('k2')},${[...ring1.keys].map(([k, v]) => `${k}:${v.toString('base64')}`)[0]}`,
        );
        const rotated = encryptingStore(b.store, ring2);
        assert.equal((await rotated.get(id))!.merged.consignee!.id!.value, secretId);
        const rk = await rekeyPersonalData(b.security, ring2);
        assert.ok(rk.changed >= 1);
        const after = await b.dump();
        assert.ok(!after.includes('enc:v1:k1:') && after.includes('enc:v1:k2:'));
        const onlyK2 = parseKeyring([...ring2.keys].map(([k, v]) => `${k}:${v.toString('base64')}`)[0]!);
        assert.equal((await encryptingStore(b.store, onlyK2).get(id))!.merged.consignee!.id!.value, secretId);
      } finally {
        await b.close();
      }
    });

    test('purge removes each data class after its retention period, in every document, and is audited', async () => {
      const b = await make();
      try {
        const ctx = { actor: 'op', submitterId: 'op', now: '2026-01-10T10:00:00.000Z' };
        const [r] = await submitBatch(ctx, [withIdentity('12345678')], {
          store: b.store,
          snapshot: () => snapshot,
        });
        const id = r!.consignmentId!;
        const fresh = await submitBatch(
          { ...ctx, now: '2026-12-01T10:00:00.000Z' },
          [withIdentity('87654321', 'Bert Bauer', 'X-1')],
          {
            store: b.store,
            snapshot: () => snapshot,
          },
        );
        // An inspection outcome of the first parcel keeps its consignee's key (folded name, postcode).
        await b.exec(
          `INSERT INTO risk_outcomes (consignment_id, finding, at, officer, rule_ids, random, consignee_key, seller_key)
           VALUES ($1, 'undervaluation', '2026-01-11T10:00:00.000Z', 'officer:x', '[]', false, 'anna schmidt|10115|DE', 'SELLER-1')`,
          [id],
        );
        const audit = new AuditLog(b.security);
        const at = (iso: string) => purgePersonalData(b.security, { now: new Date(iso), audit });
        await at('2026-03-01T00:00:00Z'); // 50 days: nothing
        assert.equal((await b.store.get(id))!.merged.consignee!.id!.value, secretId);
        await at('2026-05-01T00:00:00Z'); // > 90 days: identity
        let c = (await b.store.get(id))!;
        assert.equal(c.merged.consignee!.id!.value, purgedValue);
        assert.equal(c.merged.consignee!.phone, '+49 30 1234567');
        await at('2026-08-01T00:00:00Z'); // > 180 days: contact
        c = (await b.store.get(id))!;
        assert.equal(c.merged.consignee!.phone, purgedValue);
        assert.equal(c.merged.consignee!.name, 'Anna Schmidt');
        assert.match(await b.dump(), /anna schmidt\|10115/, 'kept until the party period');
        const party = await at('2029-02-01T00:00:00Z'); // > 3 years: names and streets
        assert.equal(party.outcomes, 1);
        c = (await b.store.get(id))!;
        assert.equal(c.merged.consignee!.name, purgedValue);
        assert.equal(c.merged.consignee!.address.country, 'DE');
        assert.equal(c.assessment.decision, (await b.store.get(id))!.assessment.decision);
        const other = (await b.store.get(fresh[0]!.consignmentId!))!;
        assert.equal(other.merged.consignee!.name, 'Bert Bauer', 'the later one is not 3 years old yet');
        const dump = await b.dump();
        assert.ok(!dump.includes('Anna Schmidt') && !dump.includes(secretId));
        assert.ok(!/anna schmidt/i.test(dump), "the outcome's consignee key went with the name");
        const purges = (await b.security.readAudit(0, 100)).filter((e) => e.action === 'data.purged');
        assert.equal(purges.length, 4);
        assert.equal((await audit.verify()).ok, true);
      } finally {
        await b.close();
      }
    });
  });
}

bothStores('personal data (postgres)', suite, { sqlite: sqliteBackend, postgres: (url) => pgBackend(url) });
