/** The common shape every indicator module returns. */
import type { IndicatorId } from './names.js';

/** One indicator's verdict on a consignment: a score in 0..1 with the evidence. */
export interface IndicatorResult {
  id: IndicatorId;
  version: number;
  /** 0 = nothing suspicious, 1 = strongest signal. */
  score: number;
  /** Plain-language reason, used when the score reaches the indicator's threshold. */
  reason: string;
  inputs: Record<string, unknown>;
  /**
   * With score 0: why the indicator, which would otherwise have fired, stood down (an authorised seller of
   * a protected brand). Recorded in the explanation as a hit of 0 points.
   */
  note?: string;
}

/** A result with score 0 and no evidence. */
export const quiet = (id: IndicatorId, version: number): IndicatorResult => ({
  id,
  version,
  score: 0,
  reason: '',
  inputs: {},
});

/** Rounds a score to 2 decimals so results are stable and readable. */
export const round2 = (n: number): number => Math.round(n * 100) / 100;
