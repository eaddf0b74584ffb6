/** Text helpers shared by the indicators: accent stripping, transliteration, tokens, stems. */

// Simple one-to-one transliteration of the Cyrillic and Greek letters seen in consignee names.
const TRANSLIT: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ї: 'i',
  є: 'e',
  ґ: 'g',
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};

const NON_ASCII = /[^\t\n\r\x20-\x7e]/;
const MARKS = /\p{M}+/gu;
const NON_WORD = /[^\p{L}\p{N}]+/gu;
const NON_WORD_ASCII = /[^a-z0-9]+/g;

/** Lower-cases, strips accents, transliterates Cyrillic/Greek and collapses punctuation to single spaces. */
export function foldText(text: string): string {
  const s = text.toLowerCase();
  // Fast path: most descriptions are ASCII and need no Unicode-aware processing.
  if (!NON_ASCII.test(s)) return s.replace(NON_WORD_ASCII, ' ').trim();
  let out = '';
  // Greek ου is one sound (u); the letter-by-letter table would give "oy".
  for (const ch of s.normalize('NFKD').replace(MARKS, '').replace(/ου/g, 'ou')) out += TRANSLIT[ch] ?? ch;
  return out.replace(NON_WORD, ' ').trim();
}

/** Splits text into folded word tokens (ASCII fast path without regexes or intermediate strings). */
export function tokens(text: string): string[] {
  if (NON_ASCII.test(text)) {
    const folded = foldText(text);
    return folded === '' ? [] : folded.split(' ');
  }
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (word) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(text.slice(start, i).toLowerCase());
      start = -1;
    }
  }
  if (start >= 0) out.push(text.slice(start).toLowerCase());
  return out;
}

/** True when `w` is non-empty and all ASCII digits (like /^\d+$/). */
export function isDigits(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return w.length > 0;
}

/** Splits text into folded word tokens. */
export type Tokenizer = (text: string) => readonly string[];

const SHARED_LIMIT = 20_000;
const MEMO = Symbol('derived values');

/** A shared token array with memo slots for values derived from it (see DerivedMemo). */
interface SharedWords extends ReadonlyArray<string> {
  readonly [MEMO]: unknown[];
}

// Texts repeat across consignments (listings are shipped many times): a bounded, process-wide memo of
// their frozen tokens. It forgets everything when full, so memory stays bounded; answers never change.
let shared = new Map<string, readonly string[]>();

/** Folded word tokens of `text`, memoised process-wide; the array is frozen and shared. */
export function sharedTokens(text: string): readonly string[] {
  let t = shared.get(text);
  if (t === undefined) {
    const words = tokens(text);
    Object.defineProperty(words, MEMO, { value: [] });
    t = Object.freeze(words);
    if (shared.size >= SHARED_LIMIT) shared = new Map();
    shared.set(text, t);
  }
  return t;
}

/** Memoises `tokens()` for the texts of one consignment (descriptions are read by several rules). */
export class TokenCache {
  // The last two texts of this consignment, checked by identity before the process-wide memo.
  private text0: string | null = null;
  private words0: readonly string[] = [];
  private text1: string | null = null;
  private words1: readonly string[] = [];

  /** Folded word tokens of `text` (a frozen array shared with other calls on the same text). */
  get(text: string): readonly string[] {
    if (text === this.text0) return this.words0;
    if (text === this.text1) return this.words1;
    const words = sharedTokens(text);
    this.text1 = this.text0;
    this.words1 = this.words0;
    this.text0 = text;
    this.words0 = words;
    return words;
  }
}

let nextMemoId = 0;

/**
 * A memo of a value derived from a token array. Arrays from sharedTokens (frozen, so they never change)
 * keep the value in a slot of their own; any other array is derived afresh on every call.
 */
export class DerivedMemo<V> {
  private readonly id = nextMemoId++;
  constructor(private readonly derive: (words: readonly string[]) => V) {}

  /** The derived value of `words`. */
  get(words: readonly string[]): V {
    const slots = (words as Partial<SharedWords>)[MEMO];
    if (slots === undefined) return this.derive(words);
    const hit = slots[this.id];
    if (hit !== undefined) return hit as V;
    const v = this.derive(words);
    slots[this.id] = v;
    return v;
  }
}

/** A set of phrases matched as whole folded-word sequences ("li-ion" matches "Li-Ion battery"). */
export class PhraseSet {
  private readonly byFirst = new Map<string, (readonly string[])[]>();
  private readonly found = new DerivedMemo<string | null>((words) => this.scan(words));
  constructor(phrases: readonly string[]) {
    for (const p of phrases) {
      const words = tokens(p);
      const first = words[0];
      if (first === undefined) continue;
      const list = this.byFirst.get(first);
      if (list) list.push(words);
      else this.byFirst.set(first, [words]);
    }
  }

  /** The first phrase found in `words` (as its folded text), or null. */
  find(words: readonly string[]): string | null {
    return this.found.get(words);
  }

  private scan(words: readonly string[]): string | null {
    for (let i = 0; i < words.length; i++) {
      const cands = this.byFirst.get(words[i] as string);
      if (!cands) continue;
      for (const phrase of cands) {
        let ok = i + phrase.length <= words.length;
        for (let k = 1; ok && k < phrase.length; k++) ok = words[i + k] === phrase[k];
        if (ok) return phrase.join(' ');
      }
    }
    return null;
  }
}

/** `nameKey` by its definition: folded tokens, sorted, joined by single spaces (the reference). */
export function nameKeyByDefinition(name: string): string {
  return tokens(name).sort().join(' ');
}

// Insertion sort by UTF-16 code units (Array#sort's default order): names have a handful of tokens.
function sortWords(words: string[]): void {
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    let j = i - 1;
    while (j >= 0 && (words[j] as string) > w) {
      words[j + 1] = words[j] as string;
      j--;
    }
    words[j + 1] = w;
  }
}

function computeNameKey(name: string): string {
  if (NON_ASCII.test(name)) return nameKeyByDefinition(name);
  // ASCII: one lower-casing of the whole text (word boundaries are the same), then slices of it.
  const text = name.toLowerCase();
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      words.push(text.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) words.push(start === 0 ? text : text.slice(start));
  if (words.length === 1) return words[0] as string;
  sortWords(words);
  let out = words[0] ?? '';
  for (let i = 1; i < words.length; i++) out += ' ' + (words[i] as string);
  return out;
}

/** Words sorted by UTF-16 code units and joined by single spaces (the form of a name key). */
export function sortedKey(words: string[]): string {
  if (words.length === 1) return words[0] as string;
  sortWords(words);
  let out = words[0] ?? '';
  for (let i = 1; i < words.length; i++) out += ' ' + (words[i] as string);
  return out;
}

const PIECE_LIMIT = 20_000;
// Folded tokens of the space-separated pieces of non-ASCII texts ("Schillerstraße", "München"): words
// repeat across addresses that as a whole do not. Bounded, forgotten whole when full.
let pieces = new Map<string, readonly string[]>();

/**
 * Appends the folded word tokens of `text` to `into`: the same words, in the same order, as
 * `tokens(text)`. The text is read piece by piece between ASCII spaces (a space separates words
 * before and after folding): printable ASCII pieces by the ASCII scan, any other folded and memoised.
 */
export function appendTokens(text: string, into: string[]): void {
  let start = 0;
  let plain = true;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c !== 32) {
      // NON_ASCII's complement: tab, line feed, carriage return and printable ASCII
      if (c > 126 || (c < 32 && c !== 9 && c !== 10 && c !== 13)) plain = false;
      continue;
    }
    if (i > start) {
      if (plain) appendAsciiWords(text, start, i, into);
      else {
        const piece = text.slice(start, i);
        let words = pieces.get(piece);
        if (words === undefined) {
          words = tokens(piece);
          if (pieces.size >= PIECE_LIMIT) pieces = new Map();
          pieces.set(piece, words);
        }
        for (const w of words) into.push(w);
      }
    }
    start = i + 1;
    plain = true;
  }
}

// The words of text[from, to) (printable ASCII) as tokens() finds them: runs of letters and digits, lower-cased.
function appendAsciiWords(text: string, from: number, to: number, into: string[]): void {
  let start = -1;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      into.push(text.slice(start, i).toLowerCase());
      start = -1;
    }
  }
  if (start >= 0) into.push(text.slice(start, to).toLowerCase());
}

const NAME_KEY_LIMIT = 50_000;
// Party names repeat across a day's parcels and each parcel's names are keyed by several indicators
// (watchlist, consignee history, party history): a bounded memo, forgotten whole when full.
let nameKeys = new Map<string, string>();

/** Normalised name key: folded, tokens sorted, so "Smith, John" equals "john smith". */
export function nameKey(name: string): string {
  let key = nameKeys.get(name);
  if (key === undefined) {
    key = computeNameKey(name);
    if (nameKeys.size >= NAME_KEY_LIMIT) nameKeys = new Map();
    nameKeys.set(name, key);
  }
  return key;
}

/** A cheap stem: drops common English plural/verb suffixes and keeps at most 5 letters. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && w.endsWith('es') && /(?:ch|sh|x|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  return w.slice(0, 5);
}

/** Optimal-string-alignment Damerau-Levenshtein distance (adjacent transpositions count 1). */
export function damerauLevenshtein(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      }
      cur[j] = v;
    }
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m] as number;
}

/** Similarity in 0..1 from the Damerau-Levenshtein distance relative to the longer string. */
export function similarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - damerauLevenshtein(a, b) / longest;
}

/** Character trigrams of a padded string (used to find watchlist candidates quickly). */
export function trigrams(s: string): string[] {
  const p = ` ${s} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= p.length; i++) out.push(p.slice(i, i + 3));
  return out;
}
