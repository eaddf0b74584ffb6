/** What a submitter may be told about a risk outcome: the lane and generic wording, never the targeting logic. */
import type { Lane, RiskAssessment, SecurityOutcome } from '../domain/index.js';

/**
 * The lane as a submitter is told it. Blue (release, then post-release audit) reads green: telling a
 * submitter its declaration was picked for audit after release would show what the targeting profile
 * looks for (issue #4 item 6; docs/rules-language.md §5).
 */
export function submitterLane(lane: Lane): Exclude<Lane, 'blue'> {
  return lane === 'blue' ? 'green' : lane;
}

const LANE_TEXT: Readonly<Record<Exclude<Lane, 'blue'>, string>> = {
  green: 'Cleared for release.',
  yellow: 'Held: customs may request additional documents or information.',
  red: 'Held for customs examination.',
};

const SECURITY_TEXT: Readonly<Record<SecurityOutcome, string | null>> = {
  'assessment-complete': null,
  referral: 'Security referral: additional information or screening is required before loading.',
  'do-not-load': 'Do not load: the consignment must not be loaded.',
};

/**
 * The submitter's view: lane (blue told as green), security outcome and generic reasons (no rule ids,
 * scores or random flag).
 */
export function redactForSubmitter(risk: RiskAssessment): {
  lane: Exclude<Lane, 'blue'>;
  security: SecurityOutcome;
  reasons: string[];
} {
  const lane = submitterLane(risk.lane);
  const reasons = [LANE_TEXT[lane]];
  const sec = SECURITY_TEXT[risk.security];
  if (sec) reasons.unshift(sec);
  return { lane, security: risk.security, reasons };
}
