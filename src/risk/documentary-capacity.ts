/**
 * Yellow-lane capacity (REFERENCE.md §6.2: lanes filled in priority order Red → Yellow → Blue → Green):
 * how many documentary checks (hold for information, request for documents) one office can handle in a
 * day. After the red-lane selection, a score-driven yellow parcel is held for documents when its score
 * reaches the day's threshold and the office still has checks left; otherwise it is released to the blue
 * lane (release, then post-release audit), so nothing risky is simply waved through. A yellow lane set
 * directly by a rule (medicines, restricted knives) is never lowered; it still uses a check.
 *
 * The threshold is the (1 - q) quantile of the scores seen today, q = capacity / expected volume, seeded
 * with the previous day's closing quantile until 200 parcels are seen (as the red-lane selector does).
 * State is a plain value passed in and returned.
 */
import { officeDayRates, scoreQuantile } from './selector.js';

/** Options of the documentary-check capacity. */
export interface DocumentaryOptions {
  /** Documentary checks one office can do in a day: one number for every office, or per office id. */
  capacityPerOfficeDay: Record<string, number> | number;
  /** Parcels expected per office and day (sets the share held); default: capacity / 0.05. */
  expectedVolumePerOfficeDay?: Record<string, number> | number;
}

/** Why a yellow candidate was (or was not) held for a documentary check. */
export type DocumentaryReason = 'checked' | 'direct' | 'over-capacity' | 'below-threshold' | 'not-candidate';

/** Documentary-check state of one office and day. */
export interface DocumentaryState {
  office: string;
  day: string;
  seen: number;
  /** Checks used today (score-driven and rule-set yellow lanes). */
  checked: number;
  /** Histogram of the scores seen today, one bin per integer score 0..100. */
  histogram: number[];
  carriedThreshold: number | null;
}

/** One parcel offered after red-lane selection. */
export interface DocumentaryCandidate {
  score: number;
  /** The lane after red-lane selection. */
  lane: string;
  /** True when a rule set the yellow lane directly (never lowered). */
  direct: boolean;
}

/** The decision for one parcel and the new state. */
export interface DocumentaryDecision {
  hold: boolean;
  reason: DocumentaryReason;
  threshold: number;
  state: DocumentaryState;
}

/** A documentary-check selector; every decision is a pure function of options, state and candidate. */
export interface DocumentarySelector {
  initialState(office: string, day: string, previous?: DocumentaryState): DocumentaryState;
  select(state: DocumentaryState, c: DocumentaryCandidate): DocumentaryDecision;
  /** The state with one earlier decision taken back (its assessment was discarded and planned again). */
  undo(state: DocumentaryState, score: number, reason: DocumentaryReason): DocumentaryState;
  capacity(office: string): number;
}

const bin = (score: number): number => Math.max(0, Math.min(100, Math.round(score)));

/** Creates a documentary-check selector. */
export function createDocumentarySelector(opts: DocumentaryOptions): DocumentarySelector {
  const { capacity, volume } = officeDayRates(opts);
  const share = (office: string): number => Math.min(1, capacity(office) / Math.max(1, volume(office)));
  return {
    capacity,
    initialState(office, day, previous) {
      return {
        office,
        day,
        seen: 0,
        checked: 0,
        histogram: new Array<number>(101).fill(0),
        carriedThreshold:
          previous && previous.seen > 0 ? scoreQuantile(previous.histogram, share(office)) : null,
      };
    },
    select(state, c) {
      const score = bin(c.score);
      const histogram = state.histogram.slice();
      histogram[score] = (histogram[score] ?? 0) + 1;
      const next: DocumentaryState = { ...state, seen: state.seen + 1, histogram };
      const today = scoreQuantile(histogram, share(state.office));
      const threshold = Math.max(
        1,
        next.seen < 200 && state.carriedThreshold !== null ? state.carriedThreshold : today,
      );
      const decide = (hold: boolean, reason: DocumentaryReason, s: DocumentaryState) => ({
        hold,
        reason,
        threshold,
        state: s,
      });
      if (c.lane !== 'yellow') return decide(false, 'not-candidate', next);
      if (c.direct) return decide(true, 'direct', { ...next, checked: state.checked + 1 });
      if (state.checked >= capacity(state.office)) return decide(false, 'over-capacity', next);
      if (score < threshold) return decide(false, 'below-threshold', next);
      return decide(true, 'checked', { ...next, checked: state.checked + 1 });
    },
    undo(state, score, reason) {
      const histogram = state.histogram.slice();
      const b = bin(score);
      histogram[b] = Math.max(0, (histogram[b] ?? 0) - 1);
      const held = reason === 'checked' || reason === 'direct';
      return {
        ...state,
        seen: Math.max(0, state.seen - 1),
        checked: held ? Math.max(0, state.checked - 1) : state.checked,
        histogram,
      };
    },
  };
}
