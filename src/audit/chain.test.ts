import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSnapshot, submitBatch } from '../clearance/index.js';
import { pgBackend, sqliteBackend, type Backend } from '../secstore/testing.js';
import { bothStores } from '../store/postgres/testing/pg-suite.js';
import { postalItem } from '../testing/consignments.js';
import { AuditLog } from './chain.js';

const snapshot = loadSnapshot({ randomRate: 0 });

/** Writes 6 consignments (events 1..6+), 5 audit entries and a seal; returns the log. */
async function populate(b: Backend): Promise<AuditLog> {
  const ctx = { actor: 'op', submitterId: 'op', now: '2026-11-27T10:00:00.000Z' };
  const records = Array.from({ length: 6 }, (_, i) => postalItem({}, String(20_000_000 + i)));
  await submitBatch(ctx, records, { store: b.store, snapshot: () => snapshot });
  const log = new AuditLog(b.security, () => new Date('2026-11-27T10:00:00Z'));
  for (let i = 0; i < 5; i++)
    await log.record({ actor: 'officer:x', action: 'decision.recorded', subject: `c${i}` });
  assert.ok((await log.seal()) >= 6);
  await log.record({ actor: 'admin:y', action: 'key.created', subject: 'key_1' });
  return log;
}

function suite(name: string, make: () => Promise<Backend>) {
  describe(`audit chain (${name})`, () => {
    test('an untouched chain verifies, with every event sealed', async () => {
      const b = await make();
      try {
        const log = await populate(b);
        const r = await log.verify();
        assert.equal(r.ok, true, JSON.stringify(r.failure));
        assert.equal(r.entries, 7);
        assert.equal(r.unsealedEvents, 0);
        assert.ok(r.sealedThrough >= 6);
        assert.equal(await log.seal(), 0, 'nothing left to seal');
      } finally {
        await b.close();
      }
    });

    test('an edited entry fails verification at that entry', async () => {
      const b = await make();
      try {
        const log = await populate(b);
        await b.exec("UPDATE audit_log SET subject = 'c-other' WHERE seq = 3");
        assert.deepEqual((await log.verify()).failure?.seq, 3);
      } finally {
        await b.close();
      }
    });

    test('a deleted entry fails verification where it is missing', async () => {
      const b = await make();
      try {
        const log = await populate(b);
        await b.exec('DELETE FROM audit_log WHERE seq = 2');
        const r = await log.verify();
        assert.equal(r.ok, false);
        assert.equal(r.failure?.seq, 2);
        assert.match(r.failure!.reason, /missing/);
      } finally {
        await b.close();
      }
    });

    test('reordered entries fail verification at the first moved entry', async () => {
      const b = await make();
      try {
        const log = await populate(b);
        await b.exec('UPDATE audit_log SET seq = -1 WHERE seq = 4');
        await b.exec('UPDATE audit_log SET seq = 4 WHERE seq = 5');
        await b.exec('UPDATE audit_log SET seq = 5 WHERE seq = -1');
        const r = await log.verify();
        assert.equal(r.failure?.seq, 4);
      } finally {
        await b.close();
      }
    });

    test('a re-hashed edit (attacker recomputes the entry hash) still breaks the next link', async () => {
      const b = await make();
      try {
        const log = await populate(b);
        const [e] = await b.security.readAudit(1, 1);
        const { entryHash } = await import('./chain.js');
        const forged = { ...e!, subject: 'forged' };
        await b.exec('UPDATE audit_log SET subject = $1, hash = $2 WHERE seq = 2', [
          'forged',
          entryHash(forged.prevHash, 2, forged),
        ]);
        assert.equal((await log.verify()).failure?.seq, 3);
      } finally {
        await b.close();
      }
    });

    test('an edited or deleted clearance event fails verification at its seal', async () => {
      const b = await make();
      try {
        const log = await populate(b);
        await b.exec("UPDATE events SET actor = 'someone-else' WHERE seq = 3");
        const edited = await log.verify();
        assert.equal(edited.failure?.seq, 6, 'the seal entry is the 6th');
        assert.match(edited.failure!.reason, /clearance events/);
      } finally {
        await b.close();
      }
      const c = await make();
      try {
        const log = await populate(c);
        await c.exec('DELETE FROM events WHERE seq = (SELECT min(seq) FROM events)');
        assert.equal((await log.verify()).failure?.seq, 6);
      } finally {
        await c.close();
      }
    });

    test('two sealers at once never seal a range twice', async () => {
      const b = await make();
      try {
        const ctx = { actor: 'op', submitterId: 'op', now: '2026-11-27T10:00:00.000Z' };
        const records = Array.from({ length: 30 }, (_, i) => postalItem({}, String(30_000_000 + i)));
        await submitBatch(ctx, records, { store: b.store, snapshot: () => snapshot });
        const a1 = new AuditLog(b.security);
        const a2 = new AuditLog(b.security);
        const [n1, n2] = await Promise.all([a1.seal(7), a2.seal(7)]);
        // On a shared PostgreSQL server other transactions may hold the settled point back for a
        // while: seal on until it covers the batch, counting what each round seals.
        let sealed = n1 + n2;
        let events = await b.security.settledEventSeq();
        for (let i = 0; i < 100 && (events < 30 || sealed < events); i++) {
          await new Promise((r) => setTimeout(r, 50));
          const [m1, m2] = await Promise.all([a1.seal(7), a2.seal(7)]);
          sealed += m1 + m2;
          events = await b.security.settledEventSeq();
        }
        assert.ok(events >= 30);
        assert.equal(sealed, events, 'each event sealed once');
        const r = await a1.verify();
        assert.equal(r.ok, true, JSON.stringify(r.failure));
        assert.equal(r.sealedThrough, events);
      } finally {
        await b.close();
      }
    });
  });
}

bothStores('audit chain (postgres)', suite, { sqlite: sqliteBackend, postgres: (url) => pgBackend(url) });
