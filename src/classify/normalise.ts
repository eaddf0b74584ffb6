/** Text normalisation for HS classification: folding, stemming, abbreviation expansion, noise removal. */

/** A normalised word of a description with the weight it carries (words after 'for' describe the target, not the product). */
export interface Token {
  term: string;
  weight: number;
}

/** The parts of the curated vocabulary the tokeniser needs. */
export interface Lexicon {
  /** Phrase (normalised words joined by one space) to its replacement words. */
  synonyms: ReadonlyMap<string, readonly string[]>;
  /** Longest synonym phrase, in words. */
  maxPhraseWords: number;
  stopwords: ReadonlySet<string>;
  /** Words with digits that carry meaning (h7, ps5, 3d) and survive the number filter. */
  keepWithDigits: ReadonlySet<string>;
}

// After these words a marketplace title names what the product fits, not what it is ('case for iPhone 15').
const TARGET_MARKERS = new Map<string, number>([
  ['for', 0.3],
  ['compatible', 0.3],
  ['fits', 0.3],
  ['fit', 0.3],
  ['fur', 0.3],
  ['pour', 0.3],
  ['para', 0.3],
  ['with', 0.6],
  ['mit', 0.6],
  ['avec', 0.6],
  ['con', 0.6],
  ['incl', 0.6],
  ['including', 0.6],
]);

const STEM_EXCEPTIONS = new Map<string, string>([
  ['lenses', 'lens'],
  ['buses', 'bus'],
  ['tomatoes', 'tomato'],
  ['potatoes', 'potato'],
  ['knives', 'knife'],
  ['leaves', 'leaf'],
  ['shelves', 'shelf'],
  ['halves', 'half'],
  ['wolves', 'wolf'],
  ['children', 'child'],
  ['mice', 'mouse'],
  ['feet', 'foot'],
  ['teeth', 'tooth'],
  ['geese', 'goose'],
  ['series', 'series'],
  ['species', 'species'],
  ['news', 'news'],
  ['scissors', 'scissors'],
  ['glasses', 'glass'],
  ['shorts', 'shorts'],
  ['sunglasses', 'sunglass'],
  ['accessories', 'accessory'],
  ['canvas', 'canvas'],
  ['gas', 'gas'],
  ['atlas', 'atlas'],
]);

const KEEP_ENDINGS = ['ss', 'us', 'is', 'ics'];

/** Reduces an English plural to its singular with a few rules and exceptions (dresses -> dress, cases -> case). */
export function stem(word: string): string {
  const exception = STEM_EXCEPTIONS.get(word);
  if (exception !== undefined) return exception;
  if (word.length < 4 || !word.endsWith('s')) return word;
  if (KEEP_ENDINGS.some((e) => word.endsWith(e))) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  return word.slice(0, -1);
}

/** Lower-cases, folds accents and ligatures, drops possessives and joins hyphenated words ('T-Shirts' -> 't shirts'). */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ø/g, 'o')
    .replace(/[’`´]/g, "'")
    .replace(/([a-z])'s\b/g, '$1')
    .replace(/s'(?=\s|$|[,;)])/g, 's')
    .replace(/([a-z0-9])[-.]+(?=[a-z0-9])/g, '$1')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Splits folded text into stemmed words, dropping single letters and tokens with digits unless listed in `keep`. */
export function baseWords(text: string, keep: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (const raw of foldText(text).split(' ')) {
    if (raw === '') continue;
    if (/\d/.test(raw)) {
      if (keep.has(raw)) out.push(raw);
      continue;
    }
    if (raw.length < 2) continue;
    out.push(stem(raw));
  }
  return out;
}

/** Replaces synonym phrases, longest first, left to right. */
export function applySynonyms(words: readonly string[], lexicon: Lexicon): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < words.length) {
    let matched = false;
    for (let n = Math.min(lexicon.maxPhraseWords, words.length - i); n >= 1; n--) {
      const replacement = lexicon.synonyms.get(words.slice(i, i + n).join(' '));
      if (replacement !== undefined) {
        out.push(...replacement);
        i += n;
        matched = true;
        break;
      }
    }
    if (!matched) {
      const w = words[i];
      if (w !== undefined) out.push(w);
      i += 1;
    }
  }
  return out;
}

/** Normalises a description into weighted tokens: synonyms expanded, noise dropped, words after 'for' down-weighted. */
export function tokenise(text: string, lexicon: Lexicon): Token[] {
  const words = applySynonyms(baseWords(text, lexicon.keepWithDigits), lexicon);
  const tokens: Token[] = [];
  let weight = 1;
  for (const w of words) {
    const marker = TARGET_MARKERS.get(w);
    if (marker !== undefined) {
      weight = Math.min(weight, marker);
      continue;
    }
    if (lexicon.stopwords.has(w)) continue;
    tokens.push({ term: w, weight });
  }
  return tokens;
}

/** Builds a lexicon from raw synonym pairs and stopwords, normalising both sides like descriptions are. */
export function buildLexicon(
  synonyms: Readonly<Record<string, string>>,
  stopwords: readonly string[],
  keepWithDigits: readonly string[],
): Lexicon {
  const keep = new Set(keepWithDigits.map((k) => foldText(k).replace(/ /g, '')));
  const map = new Map<string, string[]>();
  let maxPhraseWords = 1;
  for (const [from, to] of Object.entries(synonyms)) {
    // A one-letter word would be dropped from descriptions, so the phrase could never match as written.
    if (
      foldText(from)
        .split(' ')
        .some((w) => w.length < 2 && !/\d/.test(w))
    )
      continue;
    const key = baseWords(from, keep);
    if (key.length === 0) continue;
    map.set(key.join(' '), baseWords(to, keep));
    maxPhraseWords = Math.max(maxPhraseWords, key.length);
  }
  const stop = new Set<string>();
  for (const s of stopwords) for (const w of baseWords(s, keep)) stop.add(w);
  return { synonyms: map, maxPhraseWords, stopwords: stop, keepWithDigits: keep };
}
