/**
 * Description vs HS code, learnt: how traders usually declare goods described with these words (chapter
 * usage learnt from history with the reference prices), with the HS classifier (src/classify, through a
 * port) as a second opinion. Goods whose words are almost never declared under the declared chapter, and
 * that the classifier places in another chapter, are a strong sign of a misdeclared code.
 */
import type { Item } from '../domain/index.js';
import { quiet, round2, type IndicatorResult } from './indicator-result.js';
import { GOODS_WORD_SHARE, priceWords, type ReferencePriceTable } from './reference-prices.js';

/** What the check needs from a classifier: its best subheadings for a description (best first) and its confidence. */
export interface DescriptionClassifier {
  /** The classifier's opinion, or null when no word of the description is known. */
  classify(description: string): { hs6: readonly string[]; chapterConfidence: number } | null;
}

/** Per word: its total item lines and, when one chapter dominates, the count per chapter. */
type UsageIndex = Map<string, { total: number; counts: Record<string, number> } | null>;

// Derived once per table (tables are immutable once loaded): totals and specificity per word.
const indexes = new WeakMap<object, UsageIndex>();

function usageIndex(usage: Record<string, Record<string, number>>): UsageIndex {
  let idx = indexes.get(usage);
  if (idx !== undefined) return idx;
  idx = new Map();
  for (const [word, counts] of Object.entries(usage)) {
    let total = 0;
    let top = 0;
    for (const n of Object.values(counts)) {
      total += n;
      if (n > top) top = n;
    }
    // Only words that name a kind of goods count: colours and sizes appear in every chapter.
    idx.set(word, top >= SPECIFIC_SHARE * total ? { total, counts } : null);
  }
  indexes.set(usage, idx);
  return idx;
}

/**
 * The word of `description` that traders mostly declare under HS `chapter` (one of its specific words
 * whose history lies at least 60% in that chapter), or undefined: the goods are usually declared so.
 */
export function usualWordFor(
  description: string,
  chapter: string,
  table: ReferencePriceTable | undefined,
): string | undefined {
  if (table?.chapterUsage === undefined) return undefined;
  const usage = usageIndex(table.chapterUsage);
  for (const w of priceWords(description)) {
    const u = usage.get(w);
    if (u != null && (u.counts[chapter] ?? 0) >= SPECIFIC_SHARE * u.total) return w;
  }
  return undefined;
}

/** Module version recorded on hits. */
export const HS_USAGE_VERSION = 1;

// A chapter that carries at least this share of a word's history is a usual declaration for it.
const USUAL_SHARE = 0.05;
// A word is specific when one chapter carries at least this share of its history.
const SPECIFIC_SHARE = GOODS_WORD_SHARE;

/**
 * Scores the item whose description words are least often declared under its chapter in history: 1 when
 * no supported word was ever declared there, falling to 0 at a 5% share. When a classifier is given it
 * is consulted for those items only: if it names the declared chapter among its best subheadings the item
 * is cleared, otherwise its chapter confidence scales the score.
 */
export function assessHsUsage(
  items: readonly Item[],
  table: ReferencePriceTable | undefined,
  classifier: DescriptionClassifier | undefined,
): IndicatorResult {
  if (table?.chapterUsage === undefined) return quiet('hs-usage', HS_USAGE_VERSION);
  const usage = usageIndex(table.chapterUsage);
  let best = quiet('hs-usage', HS_USAGE_VERSION);
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Item;
    if (item.hsCode === undefined) continue;
    const chapter = item.hsCode.slice(0, 2);
    let supported = 0;
    // The highest share of the declared chapter among the item's specific words.
    let share = 0;
    let usualWord = '';
    for (const w of priceWords(item.description)) {
      const u = usage.get(w);
      if (u == null) continue;
      supported++;
      const s = (u.counts[chapter] ?? 0) / u.total;
      if (s >= share) {
        share = s;
        usualWord = w;
      }
      if (share >= USUAL_SHARE) break;
    }
    if (supported === 0 || share >= USUAL_SHARE) continue;
    let score = 1 - share / USUAL_SHARE;
    let suggested: string | null = null;
    if (classifier !== undefined) {
      const opinion = classifier.classify(item.description);
      if (opinion !== null && opinion.hs6.some((h) => h.slice(0, 2) === chapter)) continue;
      suggested = opinion?.hs6[0] ?? null;
      score *= opinion === null ? 0.8 : opinion.chapterConfidence;
    }
    score = round2(score);
    if (score <= best.score) continue;
    best = {
      id: 'hs-usage',
      version: HS_USAGE_VERSION,
      score,
      reason:
        `goods described as "${item.description}" are ${share === 0 ? 'never' : 'rarely'} declared under HS chapter ${chapter}` +
        (suggested === null ? '' : `; the classifier reads them as HS ${suggested}`),
      inputs: {
        itemIndex: i,
        declaredHs: item.hsCode,
        chapterShare: round2(share),
        ...(usualWord === '' ? {} : { word: usualWord }),
        ...(suggested === null ? {} : { suggestedHs: suggested }),
      },
    };
  }
  return best;
}

/**
 * Wraps a classification function with a bounded memo: listings repeat, and a classification costs far
 * more than the rest of an assessment. The memo forgets everything when full; answers never change.
 */
export function memoClassifier(
  classify: DescriptionClassifier['classify'],
  limit = 50_000,
): DescriptionClassifier {
  let memo = new Map<string, ReturnType<DescriptionClassifier['classify']>>();
  return {
    classify(description) {
      let r = memo.get(description);
      if (r === undefined) {
        r = classify(description);
        if (memo.size >= limit) memo = new Map();
        memo.set(description, r);
      }
      return r;
    },
  };
}
