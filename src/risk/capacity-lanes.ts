/**
 * Lanes matched to inspection capacity (REFERENCE.md §6.2): the selector decides, office by office and
 * day by day, which red-lane candidates are physically inspected. Score-driven red parcels over capacity
 * go to the yellow lane (documentary check) instead; lanes set directly by a rule (prohibitions, weapons)
 * are never lowered. The random control draw is the assessment's own, so the two agree.
 */
import type { ConsignmentInput, Lane, RiskAssessment } from '../domain/index.js';
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
}

/** The live selection state the pipeline applies after risk assessment. */
export interface LaneSelection {
  /** The assessment with its lane adjusted to capacity and the selection recorded. */
  apply(risk: RiskAssessment, consignmentId: string, input: ConsignmentInput, now: string): RiskAssessment;
  /** Today's state of one office (for metrics and tests). */
  state(office: string, day: string): SelectorState | undefined;
}

/** The office a consignment is inspected at: its office of entry, else its destination country. */
export function selectionOffice(c: ConsignmentInput): string {
  return c.routing.officeOfEntry ?? c.routing.destinationCountry;
}

/** Lane selection over a selector; `randomSeed` must be the snapshot's, so random control agrees. */
export function capacityLanes(selector: Selector, randomSeed: string): LaneSelection {
  const states = new Map<string, SelectorState>();
  const latestDay = new Map<string, string>();
  const stateFor = (office: string, day: string): SelectorState => {
    const key = `${office}|${day}`;
    let s = states.get(key);
    if (s === undefined) {
      const prevDay = latestDay.get(office);
      const previous = prevDay === undefined ? undefined : states.get(`${office}|${prevDay}`);
      s = selector.initialState(office, day, previous);
      states.set(key, s);
      if (prevDay === undefined || day > prevDay) {
        latestDay.set(office, day);
        // Keep only the newest two days per office.
        for (const k of states.keys())
          if (k.startsWith(`${office}|`) && k < `${office}|${prevDay ?? day}`) states.delete(k);
      }
    }
    return s;
  };
  return {
    state: (office, day) => states.get(`${office}|${day}`),
    apply(risk, consignmentId, input, now) {
      const office = selectionOffice(input);
      const day = now.slice(0, 10);
      const state = stateFor(office, day);
      const draw = controlDraw(randomSeed, consignmentId);
      const s = selector.select(state, { score: risk.score, lane: risk.lane, draw });
      states.set(`${office}|${day}`, s.state);
      const record: LaneSelectionRecord = {
        reason: s.reason,
        office,
        day,
        threshold: s.threshold,
        scoreLane: risk.lane,
      };
      const directRed = risk.hits.some((h) => h.lane === 'red');
      let lane: Lane = risk.lane;
      if (s.inspect) lane = 'red';
      else if (lane === 'red' && !directRed && !risk.randomSelected) lane = 'yellow';
      const hits =
        s.reason === 'exploration'
          ? [
              ...risk.hits,
              {
                id: 'exploration',
                version: 1,
                kind: 'random' as const,
                score: 0,
                lane: 'red' as const,
                reason: 'exploration sample: a medium-risk parcel inspected so the engine keeps learning',
              },
            ]
          : risk.hits;
      return { ...risk, lane, hits, selection: record };
    },
  };
}
