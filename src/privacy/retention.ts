/**
 * Retention of personal data: each data class is kept for a period after the consignment's last
 * change, then purged (replaced by `[purged]`) in every stored document: the consignment, its
 * earlier versions and its source records. The consignment itself, its decisions, amounts and
 * event log stay (customs records are kept longer than the personal data in them).
 */
import type { AuditLog } from '../audit/index.js';
import type { DocumentRewriter } from '../secstore/index.js';
import { dataClasses, scrub, type DataClass } from './fields.js';

/** Default retention in days per class (override per deployment; see docs/security.md). */
export const defaultRetentionDays: Readonly<Record<DataClass, number>> = {
  identity: 90,
  contact: 180,
  party: 1095,
};

/** Result of a purge run per class. */
export interface PurgeReport {
  now: string;
  classes: { class: DataClass; days: number; before: string; consignments: number; documents: number }[];
  /** Inspection outcomes whose party keys were cleared (the `party` period; src/secstore/port.ts). */
  outcomes: number;
}

/**
 * Purges each class from the documents of consignments last updated more than its retention period
 * before `now`. Idempotent: purged values stay purged. Writes one `data.purged` audit entry.
 */
export async function purgePersonalData(
  store: DocumentRewriter,
  opts: { now: Date; days?: Partial<Record<DataClass, number>>; audit?: AuditLog; actor?: string },
): Promise<PurgeReport> {
  const report: PurgeReport = { now: opts.now.toISOString(), classes: [], outcomes: 0 };
  // Longest period first: a document old enough for `party` is old enough for the shorter ones too.
  const periods = dataClasses
    .map((c) => ({ c, days: opts.days?.[c] ?? defaultRetentionDays[c] }))
    .sort((a, b) => b.days - a.days);
  for (const { c, days } of periods) {
    const before = new Date(opts.now.getTime() - days * 86_400_000).toISOString();
    const cover = periods.filter((p) => p.days <= days).map((p) => p.c);
    const r = await store.rewriteDocuments({ updatedBefore: before }, (_table, text) => {
      if (!text.includes('"seller"') && !text.includes('"consignee"') && !text.includes('"declarant"'))
        return undefined;
      const doc = JSON.parse(text) as unknown;
      return scrub(doc, cover) > 0 ? JSON.stringify(doc) : undefined;
    });
    report.classes.push({ class: c, days, before, consignments: r.scanned, documents: r.changed });
    // The parties' keys of the inspection history (names folded with postcode) go with the names.
    if (c === 'party') report.outcomes = (await store.forgetPartyKeys?.(before)) ?? 0;
  }
  await opts.audit?.record({
    actor: opts.actor ?? 'system:purge',
    action: 'data.purged',
    subject: 'personal-data',
    data: {
      classes: report.classes.map((c) => ({ class: c.class, before: c.before, documents: c.documents })),
      outcomes: report.outcomes,
    },
  });
  return report;
}
