/**
 * Intake assistance: for the items of a submitted record that carry a description but no HS code,
 * the classifier's suggested subheading with its confidence and alternatives. Works on the record as
 * received (also a rejected one), so the submitter can complete it.
 */
import { classify, type Classifier } from './classifier.js';

/** A suggested code for one item that has none. */
export interface HsSuggestion {
  itemIndex: number;
  /** JSON pointer of the missing field, as validation issues name fields. */
  path: string;
  description: string;
  hs6: string;
  confidence: number;
  alternatives: { hs6: string; confidence: number }[];
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * Suggestions for the items of `record` (a consignment input, any shape) without an `hsCode`. Items
 * without a usable description, and descriptions with no known word, get none.
 */
export function suggestMissingCodes(
  classifier: Classifier,
  record: unknown,
  alternatives = 3,
): HsSuggestion[] {
  const items = (record as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return [];
  const out: HsSuggestion[] = [];
  items.forEach((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) return;
    const { description, hsCode } = item as { description?: unknown; hsCode?: unknown };
    if (typeof hsCode === 'string' && hsCode.replace(/[.\s]/g, '') !== '') return;
    if (typeof description !== 'string' || description.trim() === '') return;
    const c = classify(classifier, description, alternatives + 1);
    if (c.hs6 === '') return;
    out.push({
      itemIndex: i,
      path: `/items/${i}/hsCode`,
      description,
      hs6: c.hs6,
      confidence: round4(c.confidence),
      alternatives: c.alternatives
        .slice(0, alternatives)
        .map((a) => ({ hs6: a.hs6, confidence: round4(a.confidence) })),
    });
  });
  return out;
}
