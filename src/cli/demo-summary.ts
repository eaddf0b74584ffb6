/** Collects and renders the demo's summary: throughput, lanes, revenue, top reasons, detection. */
import type { SubmitResult } from '../clearance/index.js';
import { Dec, roundMoney, type Dec as DecT } from '../domain/index.js';
import type { FloodLabel } from '../sim/index.js';
import type { StoredConsignment } from '../store/index.js';

interface Compact {
  ref: string;
  lane: string;
  decision: string;
  hits: (readonly [string, string])[];
  model: string;
  due: string;
  prepaid: string;
}

/** Accumulates what the demo cleared. */
export class DemoSummary {
  private readonly byStatus = new Map<string, number>();
  private readonly latest = new Map<string, Compact>();
  private readonly violations = new Map<string, string[]>();
  private records = 0;

  /** Remembers the ground-truth label of a generated record. */
  label(l: FloodLabel): void {
    if (l.violations.length) this.violations.set(l.ref, l.violations);
  }

  results(rs: readonly SubmitResult[]): void {
    for (const r of rs) {
      this.records++;
      this.byStatus.set(r.status, (this.byStatus.get(r.status) ?? 0) + 1);
    }
  }

  observe(cs: readonly StoredConsignment[]): void {
    for (const c of cs) {
      const a = c.assessment;
      this.latest.set(c.id, {
        ref: c.merged.externalRef ?? '',
        lane: a.risk.lane,
        decision: a.decision,
        hits: a.risk.hits.map((h) => [h.id, h.reason] as const),
        model: a.revenue.collectionModel,
        due: a.revenue.dueAtBorder,
        prepaid: a.revenue.prepaid,
      });
    }
  }

  render(seconds: number): string {
    const lanes = new Map<string, number>();
    const decisions = new Map<string, number>();
    const reasons = new Map<string, { n: number; reason: string }>();
    const models = new Map<string, { n: number; due: DecT; prepaid: DecT }>();
    let due = new Dec(0);
    let prepaid = new Dec(0);
    let violating = 0;
    let caught = 0;
    let held = 0;
    let heldViolating = 0;
    for (const c of this.latest.values()) {
      lanes.set(c.lane, (lanes.get(c.lane) ?? 0) + 1);
      decisions.set(c.decision, (decisions.get(c.decision) ?? 0) + 1);
      // Reasons that put parcels in front of an officer: hits of held parcels only.
      for (const [id, reason] of c.decision === 'release' ? [] : c.hits) {
        const r = reasons.get(id) ?? { n: 0, reason };
        r.n++;
        reasons.set(id, r);
      }
      const m = models.get(c.model) ?? { n: 0, due: new Dec(0), prepaid: new Dec(0) };
      m.n++;
      m.due = m.due.plus(c.due);
      m.prepaid = m.prepaid.plus(c.prepaid);
      models.set(c.model, m);
      due = due.plus(c.due);
      prepaid = prepaid.plus(c.prepaid);
      const isBad = this.violations.has(c.ref);
      const isHeld = c.decision !== 'release';
      if (isBad) violating++;
      if (isBad && isHeld) caught++;
      if (isHeld) held++;
      if (isHeld && isBad) heldViolating++;
    }
    const n = this.latest.size;
    const pct = (x: number, of: number) => (of ? `${((100 * x) / of).toFixed(1)}%` : '-');
    const lines = [
      '',
      `Cleared ${this.records.toLocaleString('en')} records into ${n.toLocaleString('en')} consignments in ${seconds.toFixed(1)} s: ${Math.round(this.records / seconds).toLocaleString('en')} records/s (validate + match + assess + commit to SQLite)`,
      `Records: ${[...this.byStatus].map(([k, v]) => `${k} ${v}`).join(', ')}`,
      '',
      'Decisions:',
      ...[...decisions]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `  ${k.padEnd(22)} ${String(v).padStart(8)}  ${pct(v, n)}`),
      'Lanes:',
      ...['green', 'blue', 'yellow', 'red'].map(
        (k) => `  ${k.padEnd(22)} ${String(lanes.get(k) ?? 0).padStart(8)}  ${pct(lanes.get(k) ?? 0, n)}`,
      ),
      '',
      `Revenue (EUR): due at the border ${roundMoney(due)}, prepaid at checkout (IOSS) ${roundMoney(prepaid)}`,
      ...[...models].map(
        ([k, v]) =>
          `  ${k.padEnd(22)} ${String(v.n).padStart(8)} parcels  due ${roundMoney(v.due).padStart(14)}  prepaid ${roundMoney(v.prepaid).padStart(14)}`,
      ),
      '',
      'Top reasons for holds:',
      ...[...reasons]
        .sort((a, b) => b[1].n - a[1].n)
        .slice(0, 10)
        .map(([id, r]) => `  ${String(r.n).padStart(7)}  ${id.padEnd(24)} ${r.reason.slice(0, 80)}`),
      '',
      `Detection against the generator's labels: ${caught} of ${violating} violating parcels held (recall ${pct(caught, violating)}); ${heldViolating} of ${held} held parcels violating (precision ${pct(heldViolating, held)})`,
    ];
    return lines.join('\n');
  }
}
