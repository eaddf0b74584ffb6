/** What a submitter may be told about a risk outcome: the lane and generic wording, never the targeting logic. */
import type { Lane, RiskAssessment, SecurityOutcome } from '../domain/index.js';

const LANE_TEXT: Readonly<Record<Lane, string>> = {
  green: 'Cleared for release.',
  blue: 'Cleared for release; the declaration may be reviewed after release.',
  yellow: 'Held: customs may request additional documents or information.',
  red: 'Held for customs examination.',
};

const SECURITY_TEXT: Readonly<Record<SecurityOutcome, string | null>> = {
  'assessment-complete': null,
  referral: 'Security referral: additional information or screening is required before loading.',
  'do-not-load': 'Do not load: the consignment must not be loaded.',
};

/** The submitter's view: lane, security outcome and generic reasons (no rule ids, scores or random flag). */
export function redactForSubmitter(risk: RiskAssessment): {
  lane: Lane;
  security: SecurityOutcome;
  reasons: string[];
} {
  const reasons = [LANE_TEXT[risk.lane]];
  const sec = SECURITY_TEXT[risk.security];
  if (sec) reasons.unshift(sec);
  return { lane: risk.lane, security: risk.security, reasons };
}
