import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyManager, mintKey } from '../access/index.js';
import { AuditLog } from '../audit/index.js';
import { bothStores } from '../store/postgres/testing/pg-suite.js';
import { pgBackend, sqliteBackend, type Backend } from './testing.js';

function suite(name: string, make: () => Promise<Backend>) {
  describe(`security store (${name})`, () => {
    test('keys are stored hashed and their lifecycle fields update; settings init once', async () => {
      const b = await make();
      try {
        const s = b.security;
        const audit = new AuditLog(s);
        const keys = new KeyManager(s, async (action, subject, actor, data) => {
          await audit.record({ actor, action, subject, data });
        });
        const { record, plaintext } = await keys.create({
          role: 'officer',
          operatorId: 'jdoe',
          actor: 'admin',
        });
        const got = await s.getKey(record.id);
        assert.deepEqual(got, record);
        assert.ok(!JSON.stringify(await s.listKeys()).includes(plaintext.slice(-43)), 'no secret stored');
        assert.equal(await s.countActiveKeys('2000-01-01T00:00:00.000Z'), 1);
        await keys.rotate(record.id, 'admin', 60);
        await keys.revoke(record.id, 'admin');
        const after = await s.getKey(record.id);
        assert.ok(after?.revokedAt && after.rotatedTo && after.expiresAt);
        assert.equal((await s.listKeys()).length, 2);
        assert.equal(await s.getKey('key_missing'), undefined);
        assert.equal(await s.initSetting('x', 'first'), 'first');
        assert.equal(await s.initSetting('x', 'second'), 'first');
        assert.equal((await audit.verify()).entries, 3);
        const dup = mintKey({ role: 'admin', operatorId: 'a', createdBy: 'a', now: 'now' }).record;
        await s.insertKey(dup);
        await assert.rejects(s.insertKey(dup), 'ids are unique');
      } finally {
        await b.close();
      }
    });

    test('a compare-and-set append happens only when the setting holds the expected value', async () => {
      const b = await make();
      try {
        const link = () => 'h'.repeat(64);
        const e = { at: 't', actor: 'a', action: 'x', subject: 's' };
        assert.equal(
          (await b.security.appendAudit([e], link, { name: 'n', expect: '0', value: '5' })).length,
          1,
        );
        assert.equal(
          (await b.security.appendAudit([e], link, { name: 'n', expect: '0', value: '6' })).length,
          0,
        );
        assert.equal(await b.security.getSetting('n'), '5');
        assert.equal((await b.security.lastAudit())?.seq, 1);
      } finally {
        await b.close();
      }
    });
  });
}

bothStores('security store (postgres)', suite, { sqlite: sqliteBackend, postgres: (url) => pgBackend(url) });
