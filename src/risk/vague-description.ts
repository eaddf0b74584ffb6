/**
 * Vague or generic goods descriptions (UPU CN22/CN23 instructions; ICS2 generic-description
 * interventions): "gift", "parts", "samples", "accessories", "FAK"... score 0..1 per description.
 */
import type { Item } from '../domain/index.js';
import { quiet, round2, type IndicatorResult } from './indicator-result.js';
import { DerivedMemo, isDigits, tokens, type Tokenizer } from './text-normalise.js';

/** Single words that on their own do not say what the goods are. */
export const vagueWords: ReadonlySet<string> = new Set([
  'gift',
  'gifts',
  'present',
  'presents',
  'part',
  'parts',
  'spare',
  'spares',
  'sample',
  'samples',
  'accessory',
  'accessories',
  'goods',
  'clothing',
  'clothes',
  'apparel',
  'garment',
  'garments',
  'fak',
  'merchandise',
  'item',
  'items',
  'stuff',
  'product',
  'products',
  'thing',
  'things',
  'various',
  'misc',
  'miscellaneous',
  'general',
  'commercial',
  'personal',
  'effects',
  'belongings',
  'consolidated',
  'daily',
  'necessities',
  'household',
  'article',
  'articles',
  'material',
  'materials',
  'equipment',
  'supplies',
  'electronics',
  'electronic',
  'food',
  'foods',
  'textile',
  'textiles',
  'parcel',
  'package',
  'packages',
  'kit',
  'sundries',
  'assorted',
  'mixed',
  'stock',
  'souvenir',
  'souvenirs',
  'other',
  'others',
  'auto',
  'car',
  'machine',
  'spareparts',
  'use',
  'used',
  'new',
  'invoice',
  'per',
  'see',
  'said',
  'contain',
  'freight',
  'kinds',
  'all',
  'cargo',
  'box',
  'boxes',
  'set',
  'sets',
]);

/** Whole descriptions that are generic even though some words look specific. */
export const vaguePhrases: ReadonlySet<string> = new Set([
  'spare parts',
  'auto parts',
  'car parts',
  'machine parts',
  'food products',
  'personal effects',
  'general merchandise',
  'commercial goods',
  'daily necessities',
  'household goods',
  'freight all kinds',
  'said to contain',
  'consolidated cargo',
  'as per invoice',
  'see invoice',
  'various goods',
  'mixed goods',
  'sample goods',
  'gift items',
  'personal use',
  'clothes and shoes',
  'electronic products',
]);

const FILLER: ReadonlySet<string> = new Set([
  'a',
  'an',
  'the',
  'of',
  'for',
  'and',
  'with',
  'as',
  'to',
  'in',
  'on',
]);

/** Module version recorded on hits. */
export const VAGUE_DESCRIPTION_VERSION = 1;

function scoreWords(words: readonly string[]): number {
  if (words.length === 0) return 1;
  if (vaguePhrases.has(words.join(' '))) return 1;
  let significant = 0;
  let vague = 0;
  for (const w of words) {
    if (FILLER.has(w) || isDigits(w)) continue;
    significant++;
    if (vagueWords.has(w)) vague++;
  }
  if (significant === 0) return 1;
  if (vague === significant) return 0.9;
  if (significant === 1) return 0.6;
  const share = vague / significant;
  const shortness = significant === 2 ? 0.1 : 0;
  return round2(Math.min(0.5, 0.5 * share + shortness));
}

const scores = new DerivedMemo<number>(scoreWords);

/** Scores one description: 1 = entirely generic, 0.6 = a single specific word, lower when specific. */
export function vagueDescriptionScore(
  description: string,
  words: readonly string[] = tokens(description),
): number {
  return scores.get(words);
}

/** The consignment's score is that of its vaguest item description. */
export function assessVagueDescription(items: readonly Item[], words: Tokenizer = tokens): IndicatorResult {
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < items.length; i++) {
    const description = (items[i] as Item).description;
    const s = vagueDescriptionScore(description, words(description));
    if (s > bestScore) {
      bestScore = s;
      best = i;
    }
  }
  if (best < 0) return quiet('vague-description', VAGUE_DESCRIPTION_VERSION);
  const description = (items[best] as Item).description;
  return {
    id: 'vague-description',
    version: VAGUE_DESCRIPTION_VERSION,
    score: bestScore,
    reason: `the goods description "${description}" does not say precisely what the goods are`,
    inputs: { itemIndex: best, description },
  };
}
