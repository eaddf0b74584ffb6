/**
 * Selection matched to capacity (ASYCUDA-style, REFERENCE.md §6.2): which red-lane candidates of one office
 * and day are actually inspected. State is a plain value passed in and returned, so it is pure and testable.
 *
 * Online threshold: the day's capacity is `capacity` inspections for an expected `expectedVolume` parcels,
 * so the targeted share is q = (capacity - random - exploration) / expectedVolume. A candidate is taken
 * when its score reaches the (1 - q) quantile of the scores seen so far today (seeded with the previous
 * day's quantile), and never once the targeted budget is spent. Random control and exploration draws
 * come from the caller's deterministic draw in [0, 1), so replay gives the same selection.
 */

/** Options of createSelector. */
export interface SelectorOptions {
  /** Inspections one office can do in a day: one number for every office, or per office id. */
  capacityPerOfficeDay: Record<string, number> | number;
  /** Share of all parcels inspected at random, always, whatever the score (the control sample). */
  randomRate: number;
  /** Share of all parcels inspected at random among medium-risk ones, so the engine keeps learning. */
  explorationRate: number;
  /** Parcels expected per office and day (sets the targeted share); default: capacity / 0.05. */
  expectedVolumePerOfficeDay?: Record<string, number> | number;
  /** Minimum score of an exploration candidate (default 20: the blue threshold). */
  explorationMinScore?: number;
  /** Red-lane candidates passed over before the threshold is relaxed by one score bin (ASYCUDA "maximum hits with no selection"). */
  maxHitsWithoutSelection?: number;
}

/** Selector state of one office and day; start with `initialState`. */
export interface SelectorState {
  office: string;
  day: string;
  seen: number;
  targeted: number;
  random: number;
  exploration: number;
  /** Histogram of scores seen today, one bin per integer score 0..100. */
  histogram: number[];
  /** Threshold carried over from the previous day (its closing quantile), or null. */
  carriedThreshold: number | null;
  /** Consecutive red-lane candidates not selected. */
  passedOver: number;
}

/** One scored parcel offered to the selector. */
export interface SelectionCandidate {
  score: number;
  lane: string;
  /** A uniform draw in [0, 1) for this parcel (e.g. controlDraw(seed, id)). */
  draw: number;
  /**
   * Whether the assessment drew the parcel for the random control sample (its own rate may differ from
   * the selector's: operator facilitation changes it). Absent: `draw < randomRate`.
   */
  random?: boolean;
  /**
   * Priority handling from the operator's status: a `high` candidate whose score only ties the threshold
   * is not targeted (the tie goes in its favour); it is still taken above the threshold and by random control.
   */
  priority?: 'high' | 'normal' | 'low';
  /**
   * Share of the office day (0..1) elapsed when the parcel is assessed. With it the day's volume is
   * estimated as parcels seen / share elapsed (never below the expected volume), so a flood twice the
   * expected size raises the threshold from the morning on instead of spending the inspections by noon.
   */
  dayShare?: number;
}

// Before this share of the day (one hour) too few parcels have been seen to estimate the day's volume.
const MIN_DAY_SHARE = 1 / 24;

/** Why a parcel was (or was not) inspected. */
export type SelectionReason =
  'targeted' | 'random' | 'exploration' | 'over-capacity' | 'below-threshold' | 'not-candidate';

/** The decision for one parcel and the new state. */
export interface Selection {
  inspect: boolean;
  reason: SelectionReason;
  threshold: number;
  state: SelectorState;
}

/** A capacity-matched selector for one office and day. */
export interface Selector {
  initialState(office: string, day: string, previous?: SelectorState): SelectorState;
  select(state: SelectorState, c: SelectionCandidate): Selection;
  /**
   * The state with one earlier decision taken back (its assessment was discarded and planned again):
   * the score leaves the histogram, an inspection it used is given back, and a pass-over it counted
   * (`passedOver` 1) is taken back; the reset a targeted selection made is not (what came since is kept).
   */
  undo(
    state: SelectorState,
    taken: { score: number; reason: SelectionReason; passedOver: number },
  ): SelectorState;
  capacity(office: string): number;
}

const pick = (v: Record<string, number> | number, office: string, fallback: number): number =>
  typeof v === 'number' ? v : (v[office] ?? fallback);

/**
 * The per-office daily capacity and expected volume of a capacity-matched selector: a number for every
 * office or a value per office id (capacity 0 for an office not listed); the volume defaults to
 * capacity / 0.05.
 */
export function officeDayRates(opts: {
  capacityPerOfficeDay: Record<string, number> | number;
  expectedVolumePerOfficeDay?: Record<string, number> | number | undefined;
}): { capacity: (office: string) => number; volume: (office: string) => number } {
  const capacity = (office: string): number => pick(opts.capacityPerOfficeDay, office, 0);
  const volume = (office: string): number =>
    opts.expectedVolumePerOfficeDay === undefined
      ? capacity(office) / 0.05
      : pick(opts.expectedVolumePerOfficeDay, office, capacity(office) / 0.05);
  return { capacity, volume };
}

/** The smallest score s such that at most `share` of the histogram lies at or above s. */
export function scoreQuantile(histogram: readonly number[], share: number): number {
  let total = 0;
  for (const n of histogram) total += n;
  const allowed = share * total;
  let above = 0;
  for (let s = histogram.length - 1; s >= 0; s--) {
    above += histogram[s] ?? 0;
    if (above > allowed) return s + 1;
  }
  return 0;
}

/** Creates a selector; every decision is a pure function of options, state and candidate. */
export function createSelector(opts: SelectorOptions): Selector {
  const { capacity, volume } = officeDayRates(opts);
  const minExplore = opts.explorationMinScore ?? 20;
  const maxPass = opts.maxHitsWithoutSelection ?? Infinity;
  const targetShare = (office: string, vol = volume(office)): number =>
    Math.max(0, capacity(office) / Math.max(1, vol) - opts.randomRate - opts.explorationRate);

  return {
    capacity,
    undo(state, { score: rawScore, reason, passedOver }) {
      const score = Math.max(0, Math.min(100, Math.round(rawScore)));
      const histogram = state.histogram.slice();
      histogram[score] = Math.max(0, (histogram[score] ?? 0) - 1);
      const back = (n: number): number => Math.max(0, n - 1);
      return {
        ...state,
        seen: back(state.seen),
        histogram,
        targeted: reason === 'targeted' ? back(state.targeted) : state.targeted,
        random: reason === 'random' ? back(state.random) : state.random,
        exploration: reason === 'exploration' ? back(state.exploration) : state.exploration,
        passedOver: passedOver > 0 ? back(state.passedOver) : state.passedOver,
      };
    },
    initialState(office, day, previous) {
      const carried =
        previous && previous.seen > 0 ? scoreQuantile(previous.histogram, targetShare(office)) : null;
      return {
        office,
        day,
        seen: 0,
        targeted: 0,
        random: 0,
        exploration: 0,
        histogram: new Array<number>(101).fill(0),
        carriedThreshold: carried,
        passedOver: 0,
      };
    },
    select(state, c) {
      const score = Math.max(0, Math.min(100, Math.round(c.score)));
      const histogram = state.histogram.slice();
      histogram[score] = (histogram[score] ?? 0) + 1;
      const next: SelectorState = { ...state, seen: state.seen + 1, histogram };
      const cap = capacity(state.office);
      const used = state.targeted + state.random + state.exploration;
      // The day's volume: as expected, or as the clock shows it to be when more parcels came than expected.
      const expected = volume(state.office);
      // NaN (an unparsable instant) fails both comparisons: the expected volume then stands.
      const paced = c.dayShare !== undefined && c.dayShare >= MIN_DAY_SHARE && c.dayShare <= 1;
      const dayVolume = paced ? Math.max(expected, next.seen / (c.dayShare as number)) : expected;
      const share = targetShare(state.office, dayVolume);
      // Until 200 parcels are seen today, yesterday's quantile (if any) is more reliable than today's few.
      const today = scoreQuantile(histogram, share);
      const base = next.seen < 200 && state.carriedThreshold !== null ? state.carriedThreshold : today;
      const threshold = Math.max(1, base - (state.passedOver >= maxPass ? 1 : 0));
      const decide = (inspect: boolean, reason: SelectionReason, s: SelectorState): Selection => ({
        inspect,
        reason,
        threshold,
        state: s,
      });
      const random = c.random ?? c.draw < opts.randomRate;
      if (random && used < cap) return decide(true, 'random', { ...next, random: state.random + 1 });
      if (used >= cap) return decide(false, 'over-capacity', next);
      const tieFavoured = c.priority === 'high' && score === threshold;
      if (score >= threshold && !tieFavoured) {
        const reserved = Math.round(dayVolume * (opts.randomRate + opts.explorationRate));
        if (state.targeted < Math.max(0, cap - reserved))
          return decide(true, 'targeted', { ...next, targeted: state.targeted + 1, passedOver: 0 });
        return decide(false, 'over-capacity', { ...next, passedOver: state.passedOver + 1 });
      }
      if (
        score >= minExplore &&
        state.exploration < Math.round(volume(state.office) * opts.explorationRate)
      ) {
        // Exploration: medium-risk parcels are drawn with probability explorationRate / (their share today).
        let medium = 0;
        for (let s = minExplore; s < threshold; s++) medium += histogram[s] ?? 0;
        const p = opts.explorationRate / Math.max(1e-3, medium / next.seen);
        // A uniform draw of its own: the part of [0, 1) the random control did not take, rescaled.
        const r = opts.randomRate;
        const exploreDraw = c.draw < r ? c.draw / Math.max(1e-9, r) : (c.draw - r) / Math.max(1e-9, 1 - r);
        if (exploreDraw < p)
          return decide(true, 'exploration', { ...next, exploration: state.exploration + 1 });
      }
      if (c.lane === 'red')
        return decide(false, 'below-threshold', { ...next, passedOver: state.passedOver + 1 });
      return decide(false, 'not-candidate', next);
    },
  };
}
