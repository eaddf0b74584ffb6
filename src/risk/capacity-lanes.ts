/**
 * Lanes matched to inspection capacity (REFERENCE.md §6.2): the selector decides, office by office and
 * day by day, which red-lane candidates are physically inspected. Score-driven red parcels over capacity
 * go to the yellow lane (documentary check) instead; lanes set directly by a rule (prohibitions, weapons)
 * are never lowered. The random control draw is the assessment's own, so the two agree.
 * With a documentary-check capacity as well, score-driven yellow parcels over that capacity go to the
 * blue lane (release, then post-release audit): lanes fill in priority order red, yellow, blue, green.
 */
import type { ConsignmentInput, Lane, RiskAssessment } from '../domain/index.js';
import type { DocumentaryReason, DocumentarySelector, DocumentaryState } from './documentary-capacity.js';
import { controlDraw } from './random-control.js';
import type { Selector, SelectionReason, SelectorState } from './selector.js';

/** What selection recorded on an assessment (part of its explanation). */
export interface LaneSelectionRecord {
  reason: SelectionReason;
  office: string;
  day: string;
  /** The score a targeted inspection needed at that moment. */
  threshold: number;
  /** The lane before selection. */
  scoreLane: Lane;
  /** The documentary-check (yellow-lane) decision, when the office has a documentary capacity. */
  documentary?: { reason: DocumentaryReason; threshold: number };
}

/** The live selection state the pipeline applies after risk assessment. */
export interface LaneSelection {
  /** The assessment with its lane adjusted to capacity and the selection recorded. */
  apply(risk: RiskAssessment, consignmentId: string, input: ConsignmentInput, now: string): RiskAssessment;
  /** Today's state of one office (for metrics and tests). */
  state(office: string, day: string): SelectorState | undefined;
  /** Today's documentary-check state of one office, when a documentary capacity is set. */
  documentaryState?(office: string, day: string): DocumentaryState | undefined;
  /**
   * Takes back what `apply` counted for an assessment whose plan was discarded (planned again under
   * another id in the transaction), as the consignee history's `forget` does.
   */
  forget?(consignmentId: string): void;
}

/**
 * The lane a randomly drawn parcel had before the draw sent it red (recorded on the random hit as
 * `inputs.laneWithoutDraw`; for older assessments, the severest lane a rule set).
 */
function laneWithoutDraw(risk: RiskAssessment): Lane {
  const recorded = risk.hits.find((h) => h.kind === 'random')?.inputs?.['laneWithoutDraw'];
  if (recorded === 'green' || recorded === 'blue' || recorded === 'yellow' || recorded === 'red')
    return recorded;
  const order: Lane[] = ['green', 'blue', 'yellow', 'red'];
  let lane: Lane = 'green';
  for (const h of risk.hits)
    if (h.kind !== 'random' && h.lane !== undefined && order.indexOf(h.lane) > order.indexOf(lane))
      lane = h.lane;
  return lane;
}

/** Share of the (UTC) day `day` elapsed at `now`, for pacing the day's inspections (NaN if unparsable). */
function dayShareOf(now: string, day: string): number {
  return (Date.parse(now) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000;
}

/** The office a consignment is inspected at: its office of entry, else its destination country. */
export function selectionOffice(c: ConsignmentInput): string {
  return c.routing.officeOfEntry ?? c.routing.destinationCountry;
}

// What apply counted per consignment, so forget can take it back; bounded (replans happen within a batch).
interface Taken {
  office: string;
  day: string;
  score: number;
  red?: { reason: SelectionReason; passedOver: number };
  documentary?: { score: number; reason: DocumentaryReason };
}
const MAX_TAKEN = 65_536;

/** Per office, the states of the newest two days (older days are dropped). */
class DayStates<S> {
  private readonly states = new Map<string, S>();
  private readonly latestDay = new Map<string, string>();
  constructor(private readonly init: (office: string, day: string, previous?: S) => S) {}
  get(office: string, day: string): S | undefined {
    return this.states.get(`${office}|${day}`);
  }
  set(office: string, day: string, s: S): void {
    this.states.set(`${office}|${day}`, s);
  }
  open(office: string, day: string): S {
    const key = `${office}|${day}`;
    let s = this.states.get(key);
    if (s === undefined) {
      const prevDay = this.latestDay.get(office);
      const previous = prevDay === undefined ? undefined : this.states.get(`${office}|${prevDay}`);
      s = this.init(office, day, previous);
      this.states.set(key, s);
      if (prevDay === undefined || day > prevDay) {
        this.latestDay.set(office, day);
        // Keep only the newest two days per office.
        for (const k of this.states.keys())
          if (k.startsWith(`${office}|`) && k < `${office}|${prevDay ?? day}`) this.states.delete(k);
      }
    }
    return s;
  }
}

/**
 * Lane selection over a red-lane selector and, optionally, a documentary-check (yellow-lane) selector;
 * `randomSeed` must be the snapshot's, so random control agrees. Without a red-lane selector only the
 * yellow lane is matched to capacity.
 */
export function capacityLanes(
  selector: Selector | undefined,
  randomSeed: string,
  documentary?: DocumentarySelector,
): LaneSelection {
  const red =
    selector === undefined
      ? undefined
      : new DayStates<SelectorState>((o, d, p) => selector.initialState(o, d, p));
  const yellow =
    documentary === undefined
      ? undefined
      : new DayStates<DocumentaryState>((o, d, p) => documentary.initialState(o, d, p));
  const taken = new Map<string, Taken>();
  const remember = (id: string, t: Taken): void => {
    if (taken.has(id)) forget(id);
    taken.set(id, t);
    if (taken.size > MAX_TAKEN) taken.delete(taken.keys().next().value as string);
  };
  const forget = (id: string): void => {
    const t = taken.get(id);
    if (t === undefined) return;
    taken.delete(id);
    const r = red?.get(t.office, t.day);
    if (r !== undefined && t.red !== undefined && selector !== undefined)
      red?.set(t.office, t.day, selector.undo(r, { score: t.score, ...t.red }));
    const y = yellow?.get(t.office, t.day);
    if (y !== undefined && t.documentary !== undefined && documentary !== undefined)
      yellow?.set(t.office, t.day, documentary.undo(y, t.documentary.score, t.documentary.reason));
  };
  return {
    state: (office, day) => red?.get(office, day),
    documentaryState: (office, day) => yellow?.get(office, day),
    forget,
    apply(risk, consignmentId, input, now) {
      const office = selectionOffice(input);
      const day = now.slice(0, 10);
      const record: LaneSelectionRecord = {
        reason: 'not-candidate',
        office,
        day,
        threshold: 0,
        scoreLane: risk.lane,
      };
      const t: Taken = { office, day, score: risk.score };
      let lane: Lane = risk.lane;
      let hits = risk.hits;
      let randomSelected = risk.randomSelected;
      if (red !== undefined && selector !== undefined) {
        const state = red.open(office, day);
        const draw = controlDraw(randomSeed, consignmentId);
        const priority = risk.hits.some((h) => h.id === 'priority-high') ? ('high' as const) : undefined;
        const s = selector.select(state, {
          score: risk.score,
          lane: risk.lane,
          draw,
          random: risk.randomSelected,
          ...(priority ? { priority } : {}),
          dayShare: dayShareOf(now, day),
        });
        red.set(office, day, s.state);
        t.red = { reason: s.reason, passedOver: s.state.passedOver > state.passedOver ? 1 : 0 };
        record.reason = s.reason;
        record.threshold = s.threshold;
        const directRed = risk.hits.some((h) => h.kind !== 'random' && h.lane === 'red');
        if (s.inspect) lane = 'red';
        else {
          if (risk.randomSelected) {
            // Drawn for the control sample with the day's inspections used up: not inspected, so not part
            // of the sample; the parcel keeps the lane it had without the draw.
            lane = laneWithoutDraw(risk);
            hits = risk.hits.filter((h) => h.kind !== 'random');
            randomSelected = false;
          }
          if (lane === 'red' && !directRed) lane = 'yellow';
        }
        if (s.reason === 'exploration')
          hits = [
            ...risk.hits,
            {
              id: 'exploration',
              version: 1,
              kind: 'random' as const,
              score: 0,
              lane: 'red' as const,
              reason: 'exploration sample: a medium-risk parcel inspected so the engine keeps learning',
            },
          ];
      }
      if (yellow !== undefined && documentary !== undefined && lane !== 'red') {
        // Parcels inspected in the red lane do not compete for documentary checks.
        const state = yellow.open(office, day);
        const direct = risk.lane === 'yellow' && risk.hits.some((h) => h.lane === 'yellow');
        const d = documentary.select(state, { score: risk.score, lane, direct });
        yellow.set(office, day, d.state);
        t.documentary = { score: risk.score, reason: d.reason };
        record.documentary = { reason: d.reason, threshold: d.threshold };
        if (lane === 'yellow' && !d.hold) lane = 'blue';
      }
      remember(consignmentId, t);
      // Not `{ ...risk, selection }`: V8 gives every object spread and then extended a hidden class of
      // its own (megamorphic accesses to each assessment downstream); assign keeps the same key order.
      return Object.assign({}, risk, { lane, hits, randomSelected, selection: record });
    },
  };
}
