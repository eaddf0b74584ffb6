/**
 * A consignment whose values could not be converted into the destination's currency (no exchange rate
 * for its currency on the tax point) has no customs value, duty or tax: its revenue is all zeros with an
 * `fx.unavailable` note. Released like that, it would go through with nothing due whatever it is worth,
 * so it is held for information (yellow at least), with the reason as a hit an officer reads.
 */
import type { RevenueAssessment, RiskAssessment, RiskHit } from '../domain/index.js';
import { severer } from '../risk/assess-risk.js';

/** Id of the hit that holds a consignment whose duty and tax could not be assessed. */
export const revenueNotAssessedId = 'revenue-not-assessed';

const FX_UNAVAILABLE = 'fx.unavailable: ';

/** The `fx.unavailable` note of a revenue assessment that could not value the consignment, if any. */
export function unvaluedNote(revenue: RevenueAssessment): string | undefined {
  for (const note of revenue.notes) if (note.startsWith(FX_UNAVAILABLE)) return note;
  return undefined;
}

/** `risk` held for information (at least) because the duty and tax could not be assessed (`note`). */
export function holdUnvalued(risk: RiskAssessment, note: string): RiskAssessment {
  const hit: RiskHit = {
    id: revenueNotAssessedId,
    version: 1,
    kind: 'indicator',
    score: 0,
    lane: 'yellow',
    reason: `the duty and tax could not be assessed: ${note.slice(FX_UNAVAILABLE.length)}`,
    inputs: { note },
  };
  return { ...risk, lane: severer(risk.lane, 'yellow'), hits: [...risk.hits, hit] };
}
