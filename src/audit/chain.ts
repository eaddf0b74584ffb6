/**
 * The audit log: an append-only chain where each entry's hash covers the previous entry's hash and
 * its own content, so editing, deleting or reordering any entry breaks every later link. Clearance
 * events (written in the batch path) are covered by `events.sealed` entries that hold the digest of a
 * contiguous range of events, computed off the batch path.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../match/index.js';
import {
  genesisHash,
  type AuditEntry,
  type AuditInput,
  type EventRowForSeal,
  type SecurityStore,
} from '../secstore/index.js';

/** The hash of an entry: SHA-256 of the previous hash and the canonical JSON of its content. */
export function entryHash(prevHash: string, seq: number, e: AuditInput): string {
  const body = canonicalJson({
    seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    data: e.data ?? null,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Incremental digest of clearance event rows, in seq order, exactly as stored. */
export class EventDigest {
  private readonly h = createHash('sha256');
  count = 0;
  last = 0;
  add(rows: readonly EventRowForSeal[]): void {
    for (const r of rows) {
      this.h.update(
        canonicalJson([r.seq, r.consignmentId, r.type, r.from, r.to, r.at, r.actor, r.reason, r.data]),
      );
      this.h.update('\n');
      this.count += 1;
      this.last = r.seq;
    }
  }
  hex(): string {
    return this.h.digest('hex');
  }
}

/** Setting that holds the highest sealed event seq (compare-and-set under the chain lock). */
export const sealedThroughSetting = 'audit.sealed_through';

/** Setting that holds the seq of the last claim release appended to the chain. */
export const claimReleasesThroughSetting = 'audit.claim_releases_through';

/** Largest number of events one seal entry covers. */
export const maxSealEvents = 50_000;

/** What `verify` found. */
export interface VerifyReport {
  ok: boolean;
  entries: number;
  /** The last entry (give it to an outside party to detect later truncation of the chain). */
  head: { seq: number; hash: string } | null;
  sealedThrough: number;
  /** Events after the last seal (not yet covered). */
  unsealedEvents: number;
  /**
   * The contributor rows (who may read which consignment besides its creator) against the records
   * that make them (src/store/contributors-guard.ts); absent when the store cannot tell.
   */
  contributors?: { rows: number; unbacked: number; missing: number };
  /** The first broken entry: its seq and why (seq 0: not an entry, the contributor rows). */
  failure?: { seq: number; reason: string };
}

/** Appends, seals and verifies the audit chain on a security store. */
export class AuditLog {
  constructor(
    readonly store: SecurityStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Appends one entry (`at` defaults to now). */
  async record(input: Omit<AuditInput, 'at'> & { at?: string }): Promise<AuditEntry> {
    const [e] = await this.store.appendAudit([{ at: this.clock().toISOString(), ...input }], entryHash);
    return e!;
  }

  /**
   * Seals the settled clearance events after the last seal into `events.sealed` entries (at most
   * `maxSealEvents` each). Safe to run from several processes: a seal whose start was taken by
   * another sealer is dropped. Resolves with the number of events sealed.
   */
  async seal(limit = maxSealEvents): Promise<number> {
    await this.sealClaimReleases();
    let total = 0;
    for (;;) {
      const from = Number((await this.store.getSetting(sealedThroughSetting)) ?? '0');
      const settled = await this.store.settledEventSeq();
      if (settled <= from) return total;
      const to = Math.min(settled, from + limit);
      const d = new EventDigest();
      await this.store.scanEvents(from, to, (rows) => d.add(rows));
      const digest = d.hex();
      const appended = await this.store.appendAudit(
        [
          {
            at: this.clock().toISOString(),
            actor: 'system:sealer',
            action: 'events.sealed',
            subject: `events:${from + 1}-${to}`,
            data: { fromSeq: from + 1, toSeq: to, count: d.count, digest },
          },
        ],
        entryHash,
        { name: sealedThroughSetting, expect: String(from), value: String(to) },
      );
      if (appended.length === 0) continue; // another sealer moved on; start again from its end
      total += d.count;
    }
  }

  /**
   * Appends a `claim.released` entry (actor `system`) for each work-queue claim the system released
   * because its consignment left the queue without an officer decision (src/store/console/claims-tx.ts),
   * in release order, each once: the entries and the cursor move in one transaction, and a batch whose
   * start another sealer took is dropped. Resolves with the number of releases appended.
   */
  async sealClaimReleases(limit = 1000): Promise<number> {
    if (!this.store.claimReleasesAfter) return 0;
    let total = 0;
    for (;;) {
      const from = Number((await this.store.getSetting(claimReleasesThroughSetting)) ?? '0');
      const rows = await this.store.claimReleasesAfter(from, limit);
      if (rows.length === 0) return total;
      const to = rows[rows.length - 1]!.seq;
      const appended = await this.store.appendAudit(
        rows.map((r) => ({
          at: r.releasedAt,
          actor: r.releasedBy,
          action: 'claim.released',
          subject: r.consignmentId,
          data: {
            holder: { officerId: r.officerId, claimedAt: r.claimedAt, expiresAt: r.expiresAt },
            cause: 'left-queue',
            reason: r.reason,
            releaseSeq: r.seq,
          },
        })),
        entryHash,
        { name: claimReleasesThroughSetting, expect: String(from), value: String(to) },
      );
      if (appended.length === 0) continue;
      total += rows.length;
    }
  }

  /**
   * Walks the whole chain: sequence numbers consecutive from 1, each entry linked to the previous
   * hash, each hash recomputed, and each events seal contiguous with the one before and matching the
   * events as they are now. Stops at the first broken entry.
   */
  async verify(): Promise<VerifyReport> {
    let prev = genesisHash;
    let expectSeq = 1;
    let sealedThrough = 0;
    let entries = 0;
    let head: VerifyReport['head'] = null;
    const fail = async (seq: number, reason: string): Promise<VerifyReport> => ({
      ok: false,
      entries,
      head,
      sealedThrough,
      unsealedEvents: 0,
      failure: { seq, reason },
    });
    for (let after = 0; ;) {
      const page = await this.store.readAudit(after, 1000);
      if (page.length === 0) break;
      for (const e of page) {
        if (e.seq !== expectSeq)
          return fail(expectSeq, `entry ${expectSeq} is missing (next entry found is ${e.seq})`);
        if (e.prevHash !== prev)
          return fail(e.seq, 'does not link to the previous entry (deleted or reordered)');
        if (entryHash(e.prevHash, e.seq, e) !== e.hash)
          return fail(e.seq, 'content does not match its hash (edited)');
        if (e.action === 'events.sealed') {
          const { fromSeq, toSeq, count, digest } = (e.data ?? {}) as Record<string, number | string>;
          if (fromSeq !== sealedThrough + 1)
            return fail(e.seq, `seal starts at event ${String(fromSeq)}, expected ${sealedThrough + 1}`);
          const d = new EventDigest();
          await this.store.scanEvents(sealedThrough, Number(toSeq), (rows) => d.add(rows));
          if (d.count !== count || d.hex() !== digest)
            return fail(
              e.seq,
              `clearance events ${String(fromSeq)}-${String(toSeq)} were changed, deleted or added after sealing`,
            );
          sealedThrough = Number(toSeq);
        }
        prev = e.hash;
        head = { seq: e.seq, hash: e.hash };
        expectSeq += 1;
        entries += 1;
      }
      after = page[page.length - 1]!.seq;
    }
    const settled = await this.store.settledEventSeq();
    let unsealed = 0;
    if (settled > sealedThrough)
      await this.store.scanEvents(sealedThrough, settled, (rows) => (unsealed += rows.length));
    const report: VerifyReport = { ok: true, entries, head, sealedThrough, unsealedEvents: unsealed };
    const c = await this.store.contributorIntegrity?.(10);
    if (c === undefined) return report;
    report.contributors = { rows: c.rows, unbacked: c.unbacked.length, missing: c.missing.length };
    const pairs = (ps: readonly { submitterId: string; consignmentId: string }[]) =>
      ps.map((p) => `${p.submitterId} on ${p.consignmentId}`).join(', ');
    if (c.unbacked.length > 0)
      return {
        ...report,
        ok: false,
        failure: {
          seq: 0,
          reason: `consignment_contributors: rows no record backs (access granted by an inserted row): ${pairs(c.unbacked)}`,
        },
      };
    if (c.missing.length > 0)
      return {
        ...report,
        ok: false,
        failure: {
          seq: 0,
          reason: `consignment_contributors: rows missing for records of another submitter (deleted): ${pairs(c.missing)}`,
        },
      };
    return report;
  }
}
