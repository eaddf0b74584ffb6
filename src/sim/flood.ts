/** The synthetic flood: a seeded, streaming generator of labelled parcel records. */
import { type Draft, DraftFactory } from './draft.js';
import { makeAwb } from './identifiers.js';
import { Prng } from './prng.js';
import { renderDraft, type RenderContext } from './records.js';
import type { FloodOptions, FloodRecord, ViolationType } from './types.js';
import {
  injectCounterfeit,
  injectGiftMisuse,
  injectMisdescribedHs,
  injectProhibited,
  injectUndervaluation,
  injectVagueDescription,
  injectWatchlisted,
  makeSplitGroup,
  violationPlan,
} from './violations.js';

/** Default share of parcels with an injected violation. */
export const DEFAULT_VIOLATION_RATE = 0.06;
/** Default share of parcels also sent as a platform order. */
export const DEFAULT_OVERLAP_RATE = 0.3;

// Records of one parcel (and the parcels of a split group) are spread over the next few parcels' worth
// of output, as the sources arrive at different moments.
const MAX_DELAY = 40;

interface Pending {
  at: number;
  seq: number;
  record: FloodRecord;
}

function checkOptions(opts: FloodOptions): number {
  if (!Number.isInteger(opts.count) || opts.count < 0)
    throw new RangeError('count must be a non-negative integer');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.day)) throw new RangeError(`day must be YYYY-MM-DD: ${opts.day}`);
  const dayStartMs = Date.parse(`${opts.day}T00:00:00Z`);
  if (Number.isNaN(dayStartMs) || new Date(dayStartMs).toISOString().slice(0, 10) !== opts.day) {
    throw new RangeError(`not a calendar date: ${opts.day}`);
  }
  for (const [name, rate] of [
    ['violationRate', opts.violationRate],
    ['overlapRate', opts.overlapRate],
  ] as const) {
    if (rate !== undefined && !(rate >= 0 && rate <= 1))
      throw new RangeError(`${name} must be within [0, 1]`);
  }
  if (opts.destinations !== undefined) {
    if (opts.destinations.length === 0) throw new RangeError('destinations must not be empty');
    for (const c of opts.destinations) {
      if (!/^[A-Z]{2}$/.test(c)) throw new RangeError(`destination is not an ISO alpha-2 code: ${c}`);
    }
  }
  return dayStartMs;
}

/** Generates `count` parcels as labelled source records; the same options give byte-identical output. */
export function* generateFlood(opts: FloodOptions): Generator<FloodRecord, void, undefined> {
  const dayStartMs = checkOptions(opts);
  const rng = new Prng(opts.seed);
  const tag = rng.nextU32().toString(36).toUpperCase().padStart(7, '0');
  const refPrefix = `SIM-${tag}-${opts.day.replaceAll('-', '')}-`;
  const factory = new DraftFactory(rng, opts.destinations);
  const mawbs = Array.from({ length: 60 }, () => makeAwb(rng));
  const ctx: RenderContext = { rng, dayStartMs, pool: factory.pool, mawbs, usedDocIds: new Set() };
  const plan = violationPlan(opts.violationRate ?? DEFAULT_VIOLATION_RATE);
  const overlapRate = opts.overlapRate ?? DEFAULT_OVERLAP_RATE;

  let made = 0;
  let seq = 0;
  let groups = 0;
  const pending = new PendingHeap();
  const nextRef = (): string => `${refPrefix}${String(++made).padStart(7, '0')}`;
  const schedule = (record: FloodRecord, delay: number): void => {
    pending.push({ at: made + delay, seq: seq++, record });
  };

  while (made < opts.count) {
    const remaining = opts.count - made;
    let drafts: Draft[];
    let type: ViolationType | undefined = rng.chance(plan.eventChance) ? plan.table.draw(rng) : undefined;
    if (type === 'split-shipment' && remaining < 3) type = 'undervaluation';
    if (type === 'split-shipment') {
      const size = Math.min(rng.int(3, 5), remaining);
      const refs = Array.from({ length: size }, nextRef);
      drafts = makeSplitGroup(factory, refs, `SPLIT-${tag}-${++groups}`);
    } else {
      const draft = factory.base(nextRef(), {
        // Private senders gift clean parcels or undervalue them; other violations are marketplace parcels.
        privateAllowed: type === undefined || type === 'undervaluation',
        ...(type === 'counterfeit' ? { origin: 'CN' } : {}),
      });
      if (type !== undefined) inject(factory, draft, type);
      drafts = [draft];
    }
    for (const draft of drafts) {
      if (!draft.overlap && draft.platform !== undefined) draft.overlap = rng.chance(overlapRate / 0.985);
      const [first, second] = renderDraft(ctx, draft);
      if (first === undefined) continue;
      const delay = draft.splitGroup === undefined ? 0 : rng.int(0, MAX_DELAY);
      if (second === undefined) schedule(first, delay);
      else if (rng.chance(0.5)) {
        schedule(first, delay);
        schedule(second, delay + rng.int(0, MAX_DELAY));
      } else {
        schedule(second, delay);
        schedule(first, delay + rng.int(0, MAX_DELAY));
      }
    }
    while (pending.size > 0 && (pending.peek()?.at ?? Infinity) <= made) {
      const next = pending.pop();
      if (next !== undefined) yield next.record;
    }
  }
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) yield next.record;
}

function inject(f: DraftFactory, draft: Draft, type: ViolationType): void {
  switch (type) {
    case 'undervaluation':
      return injectUndervaluation(f, draft);
    case 'prohibited':
      return injectProhibited(f, draft);
    case 'counterfeit':
      return injectCounterfeit(f, draft);
    case 'misdescribed-hs':
      return injectMisdescribedHs(f, draft);
    case 'watchlisted-consignee':
      return injectWatchlisted(f, draft);
    case 'vague-description':
      return injectVagueDescription(f, draft);
    case 'gift-misuse':
      return injectGiftMisuse(f, draft);
    case 'split-shipment':
      throw new Error('split shipments are built as groups');
  }
}

/** Min-heap of scheduled records ordered by (at, seq), so output order is deterministic. */
class PendingHeap {
  private readonly heap: Pending[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): Pending | undefined {
    return this.heap[0];
  }

  push(p: Pending): void {
    const h = this.heap;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const up = h[parent];
      if (up === undefined || !before(p, up)) break;
      h[i] = up;
      i = parent;
    }
    h[i] = p;
  }

  pop(): Pending | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const left = h[l];
      const right = h[r];
      const child = right !== undefined && left !== undefined && before(right, left) ? r : l;
      const c = h[child];
      if (c === undefined || !before(c, last)) break;
      h[i] = c;
      i = child;
    }
    h[i] = last;
    return top;
  }
}

function before(a: Pending, b: Pending): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
