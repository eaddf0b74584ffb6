/**
 * A consignment whose duty and tax could not be assessed (no exchange rate for its currency on the tax
 * point, an amount beyond the exact range, no revenue profile or regime for its destination and date:
 * src/revenue/not-assessed.ts) has revenue of all zeros with a note saying why. Released like that, it
 * would go through with nothing due whatever it is worth, so it is held for information (yellow at
 * least), with the reason as a hit an officer reads.
 */
import type { RiskAssessment, RiskHit } from '../domain/index.js';
import { notAssessedReason } from '../revenue/index.js';
import { severer } from '../risk/assess-risk.js';

/** Id of the hit that holds a consignment whose duty and tax could not be assessed. */
export const revenueNotAssessedId = 'revenue-not-assessed';

/** `risk` held for information (at least) because the duty and tax could not be assessed (`note`). */
export function holdUnvalued(risk: RiskAssessment, note: string): RiskAssessment {
  const hit: RiskHit = {
    id: revenueNotAssessedId,
    version: 1,
    kind: 'indicator',
    score: 0,
    lane: 'yellow',
    reason: `the duty and tax could not be assessed: ${notAssessedReason(note)}`,
    inputs: { note },
  };
  return { ...risk, lane: severer(risk.lane, 'yellow'), hits: [...risk.hits, hit] };
}
