/**
 * Set-up shared by the tests that plan generated floods: a snapshot without random control (it
 * depends on the generated ids, so two runs decide alike), one request context, the records of a
 * seeded flood, and what a store holds of them without generated ids and times.
 */
import { loadSnapshot, type PipelineDeps, type RequestContext } from '../../src/clearance/index.js';
import type { ConsigneeWindow } from '../../src/risk/index.js';
import { consigneeKey } from '../../src/risk/index.js';
import { generateFlood } from '../../src/sim/index.js';
import type { StoredConsignment } from '../../src/store/index.js';

export const snapshot = loadSnapshot({ randomRate: 0 });
export const ctx: RequestContext = { actor: 't', submitterId: 't', now: '2026-11-27T10:00:00.000Z' };

/** The records of a seeded flood of `count` consignments on 2026-11-27. */
export const flood = (seed: string, count: number) =>
  [...generateFlood({ seed, count, day: '2026-11-27' })].map((r) => r.input);

/**
 * Store contents without generated ids and times, per external reference; with `mismatches`, each
 * consignment's source mismatches too.
 */
export async function contents(
  deps: PipelineDeps,
  ids: string[],
  opts: { mismatches?: boolean } = {},
): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const id of [...new Set(ids)]) {
    const c = (await deps.store.get(id)) as StoredConsignment;
    const events = await deps.store.events(id);
    out.push({
      ref: c.merged.externalRef,
      version: c.version,
      state: c.state,
      keys: c.keys,
      sources: c.sources.map((s) => [s.kind, s.hash]),
      merged: c.merged,
      ...(opts.mismatches === true ? { mismatches: c.mismatches } : {}),
      decision: c.assessment.decision,
      hits: c.assessment.risk.hits.map((h) => h.id),
      revenue: c.assessment.revenue,
      events: events.map((e) => [e.type, e.from, e.to]),
    });
  }
  return out.sort((a, b) =>
    String((a as { ref: string }).ref).localeCompare(String((b as { ref: string }).ref)),
  );
}

/** The consignment ids the consignee history holds for the consignees of `records`. */
export function historyIds(history: ConsigneeWindow, records: readonly unknown[]): Set<string> {
  const ids = new Set<string>();
  for (const r of records) {
    const key = consigneeKey(r as never);
    if (key === null) continue;
    for (const p of history.recentForConsignee(key)) ids.add((p as { ref: string }).ref);
  }
  return ids;
}
