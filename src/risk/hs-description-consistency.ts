/**
 * Cheap description <-> HS code consistency: does the item description share a significant word stem
 * with the HS 2022 chapter, heading or subheading text of the declared code? With learnt chapter usage
 * (reference tables), goods whose words traders mostly declare under the declared chapter are
 * consistent too: the legal text says "jewellery of precious metal", the trade says "gold chain necklace".
 */
import type { Item } from '../domain/index.js';
import type { HsNomenclature } from '../reference/index.js';
import { usualWordFor } from './hs-usage.js';
import { quiet, round2, type IndicatorResult } from './indicator-result.js';
import type { ReferencePriceTable } from './reference-prices.js';
import { DerivedMemo, isDigits, stem, tokens, type Tokenizer } from './text-normalise.js';

// Words of the nomenclature's legal drafting that say nothing about the goods.
const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'other others and or of the for with without not including includ whether parts part thereof articles article ' +
    'nes nesoi than in on by their its kind kinds used such as a an to from be being those like similar type ' +
    'types etc excluding mainly chiefly wholly form forms put up made containing contain heading headings ' +
    'subheading chapter new this that these any all each per more less exceeding exceed not has having ' +
    'whose which also only but are is was were goods product products item items set sets use'
  ).split(' '),
);

function significantStems(words: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const w of words) {
    if (w.length < 3 || STOPWORDS.has(w) || isDigits(w)) continue;
    out.add(stem(w));
  }
  return out;
}

// Distinct significant stems of a description's words, in first-seen order (memoised per token array).
const descriptionStems = new DerivedMemo<readonly string[]>((words) => [...significantStems(words)]);

/** Stems of the chapter + heading + subheading text of each HS code, computed once per code. */
export class HsVocabulary {
  private readonly cache = new Map<string, ReadonlySet<string> | null>();
  private readonly samples = new Map<string, readonly string[]>();
  constructor(private readonly hs: HsNomenclature) {}

  /** Stems for the first six digits of `hsCode`, or null when the code is unknown. */
  stemsFor(hsCode: string): ReadonlySet<string> | null {
    const key = hsCode.slice(0, 6);
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const sub = this.hs.get(key);
    let stems: Set<string> | null = null;
    if (sub) {
      stems = new Set<string>();
      for (const code of [key.slice(0, 2), key.slice(0, 4), key]) {
        for (const s of significantStems(tokens(this.hs.get(code)?.description ?? ''))) stems.add(s);
      }
    }
    this.cache.set(key, stems);
    return stems;
  }

  /** Up to the first 20 stems of `hsCode`, as evidence on hits (a fresh array each call). */
  sampleFor(hsCode: string): string[] {
    const key = hsCode.slice(0, 6);
    let sample = this.samples.get(key);
    if (sample === undefined) {
      sample = [...(this.stemsFor(key) ?? [])].slice(0, 20);
      this.samples.set(key, sample);
    }
    return sample.slice();
  }

  /** The subheading text, for reasons. */
  describe(hsCode: string): string {
    return this.hs.get(hsCode.slice(0, 6))?.description ?? '';
  }
}

/** Module version recorded on hits (2: goods usually declared under their chapter are consistent). */
export const HS_CONSISTENCY_VERSION = 2;

/**
 * Score = share of items (with an HS code and a describable description) whose words share no stem with
 * the HS text and, when `table` has chapter usage, are not mostly declared under the declared chapter.
 */
export function assessHsDescriptionConsistency(
  items: readonly Item[],
  vocab: HsVocabulary,
  words: Tokenizer = tokens,
  table?: ReferencePriceTable,
): IndicatorResult {
  let checked = 0;
  let inconsistent: Record<string, unknown>[] | null = null;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Item;
    if (!item.hsCode) continue;
    const hsStems = vocab.stemsFor(item.hsCode);
    const descStems = descriptionStems.get(words(item.description));
    if (!hsStems || descStems.length === 0) continue;
    checked++;
    let shared = false;
    for (let k = 0; k < descStems.length && !shared; k++) shared = hsStems.has(descStems[k] as string);
    // The nomenclature's drafting is not the trade's: the learnt usage of the words speaks for them.
    if (!shared && usualWordFor(item.description, item.hsCode.slice(0, 2), table) === undefined) {
      (inconsistent ??= []).push({
        itemIndex: i,
        hsCode: item.hsCode,
        description: item.description,
        descriptionStems: [...descStems],
        hsStems: vocab.sampleFor(item.hsCode),
      });
    }
  }
  if (checked === 0 || inconsistent === null)
    return quiet('hs-description-consistency', HS_CONSISTENCY_VERSION);
  const first = inconsistent[0] as { description: string; hsCode: string };
  return {
    id: 'hs-description-consistency',
    version: HS_CONSISTENCY_VERSION,
    score: round2(inconsistent.length / checked),
    reason: `the description "${first.description}" shares no word with the text of HS ${first.hsCode} ("${vocab.describe(first.hsCode)}")`,
    inputs: { items: inconsistent },
  };
}
