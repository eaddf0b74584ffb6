/**
 * The online SQLite backup holds what the newer features write: an answer to a request for
 * information (its event, its queue candidate, its audit entry), a contributor row (a record linked
 * to another operator's consignment) and the sealed events. After a restore they are all there, the
 * contributor still lists the consignment, and `audit verify` still catches an edited answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { bearer, keysApp } from '../src/access/testing.js';
import { AuditLog } from '../src/audit/index.js';
import { backupSqlite, restoreSqlite } from '../src/ops/index.js';
import { openSqliteSecurityStore } from '../src/secstore/index.js';
import { openSqliteStore, sqliteFileName } from '../src/store/index.js';
import { postalItem, teaParcel } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

test('backup and restore keep answers, contributor rows and their audit; verify catches an edited answer after it', async () => {
  const k = await keysApp();
  const out = scratchDir('parcelgate-restore-');
  try {
    const carrier = (
      await k.keys.create({ role: 'submitter', operatorId: 'op-carrier', actor: 'admin:test' })
    ).plaintext;
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.submitter),
      payload: teaParcel('60000001'),
    });
    const id = made.json().consignmentId as string;
    const linked = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(carrier),
      payload: postalItem({ source: 'carrier-waybill' }, '60000001'),
    });
    assert.equal(linked.json().status, 'linked', linked.body);
    const answered = await k.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/information`,
      headers: bearer(carrier),
      payload: {
        explanation: 'Waybill and invoice RESTORE-CHECK attached',
        documents: [{ kind: 'invoice', reference: 'INV-R1' }],
      },
    });
    assert.equal(answered.statusCode, 200, answered.body);
    assert.ok((await k.audit.seal()) > 0, 'the events are sealed');

    // Online: the app and its store are still open.
    const file = path.join(out, 'backup.db');
    const report = await backupSqlite(k.dir, file);
    assert.ok(report.auditEntries > 0);
    const restoredDir = path.join(out, 'restored');
    restoreSqlite(file, restoredDir);

    const store = openSqliteStore({ dataDir: restoredDir });
    const security = openSqliteSecurityStore({ dataDir: restoredDir });
    try {
      const events = await store.events(id);
      const answer = events.find((e) => e.type === 'consignment.information-provided');
      assert.equal(answer?.actor, 'op-carrier');
      assert.equal(answer?.data?.explanation, 'Waybill and invoice RESTORE-CHECK attached');
      const listed = await store.list({ partyId: 'op-carrier', limit: 10 });
      assert.deepEqual(
        listed.items.map((i) => i.id),
        [id],
        'the contributor row survives: the carrier still lists the consignment',
      );
      const raw = new Database(path.join(restoredDir, sqliteFileName), { readonly: true });
      try {
        assert.deepEqual(
          raw
            .prepare('SELECT submitter_id FROM consignment_contributors WHERE consignment_id = ?')
            .pluck()
            .all(id),
          ['op-carrier'],
        );
        assert.equal(
          raw.prepare('SELECT count(*) FROM information_answers WHERE consignment_id = ?').pluck().get(id),
          1,
        );
      } finally {
        raw.close();
      }
      const entries = await security.readAudit(0, 1000);
      assert.ok(
        entries.some(
          (e) => e.action === 'information.provided' && e.subject === id && e.actor === 'op-carrier',
        ),
      );
      const log = new AuditLog(security, () => new Date('2026-11-27T10:00:00Z'));
      const clean = await log.verify();
      assert.equal(clean.ok, true, JSON.stringify(clean.failure));
    } finally {
      await store.close();
      await security.close();
    }
    // Tamper with the restored answer (softening what the carrier said): the seal no longer matches.
    const db = new Database(path.join(restoredDir, sqliteFileName));
    db.prepare(
      "UPDATE events SET data = replace(data, 'RESTORE-CHECK', 'nothing') WHERE type = 'consignment.information-provided'",
    ).run();
    db.close();
    const security2 = openSqliteSecurityStore({ dataDir: restoredDir });
    try {
      const tampered = await new AuditLog(security2, () => new Date()).verify();
      assert.equal(tampered.ok, false);
      assert.match(tampered.failure!.reason, /clearance events/);
    } finally {
      await security2.close();
    }
  } finally {
    await k.close();
    fs.rmSync(out, { recursive: true, force: true });
  }
});
