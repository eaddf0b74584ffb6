/** A BM25 index over the HS 2022 subheading texts, each enriched with its heading and chapter texts. */
import type { HsNomenclature } from '../reference/index.js';
import { applySynonyms, baseWords, type Lexicon } from './normalise.js';

/** One HS 2022 subheading as a searchable document. */
export interface HsDocument {
  hs6: string;
  /** Distinct words of the subheading and heading texts (for attribute checks). */
  words: ReadonlySet<string>;
  length: number;
}

/** Postings for one word: document numbers and weighted term frequencies. */
interface Posting {
  docs: Int32Array;
  tfs: Float64Array;
  idf: number;
}

/** The searchable HS 2022 subheadings. */
export interface HsIndex {
  docs: readonly HsDocument[];
  byCode: ReadonlyMap<string, number>;
  /** Heading (4 digits) to the document numbers of its subheadings. */
  headings: ReadonlyMap<string, readonly number[]>;
  postings: ReadonlyMap<string, Posting>;
  averageLength: number;
}

// Function words of the nomenclature: they say nothing about a product.
const HS_STOPWORDS = new Set(
  (
    'and or of the a an in on for to by with without whether not other than thereof therefor such kind used ' +
    'similar like heading chapter item subheading no nec which those its their being be is are as at from ' +
    'any all but into only mainly wholly solely excluding including incl however also this that these'
  ).split(' '),
);

// 'Not knitted or crocheted' is how the nomenclature says woven; keep that meaning, drop the negated words.
const WOVEN = /\(?\bnot knitted or crocheted\)?/gi;
// Clauses that name what a code is NOT: '(other than cotton)', 'excluding medicaments', 'n.e.c. in heading 6205'.
const NEGATED = /\((?:other than|excluding|not|except)[^)]*\)|\b(?:other than|excluding|except)\b[^,;)]*/gi;
const NEC = /\bn\.e\.c\.(?:\s+in\s+(?:item|heading|subheading|chapter)(?:\s+no\.?)?\s*[\d.]+)?/gi;

/** Cleans one nomenclature text and turns it into words, with the synonyms the descriptions get. */
export function hsTextWords(text: string, lexicon: Lexicon): string[] {
  const cleaned = text.replace(WOVEN, ' woven ').replace(NEC, ' ').replace(NEGATED, ' ');
  return applySynonyms(baseWords(cleaned, lexicon.keepWithDigits), lexicon).filter(
    (w) => !HS_STOPWORDS.has(w),
  );
}

/** Field weights: the subheading text says most, its heading and chapter set the context. */
export const FIELD_WEIGHTS = { subheading: 1, heading: 0.5, chapter: 0.2 } as const;

/** Builds the index from every 6-digit code of the nomenclature. */
export function buildHsIndex(hs: HsNomenclature, lexicon: Lexicon): HsIndex {
  const docs: HsDocument[] = [];
  const byCode = new Map<string, number>();
  const headings = new Map<string, number[]>();
  const tf = new Map<string, Map<number, number>>();
  const cache = new Map<string, string[]>();
  const words = (code: string): string[] => {
    let w = cache.get(code);
    if (w === undefined) {
      w = hsTextWords(hs.get(code)?.description ?? '', lexicon);
      cache.set(code, w);
    }
    return w;
  };
  for (const entry of hs.subheadings()) {
    const n = docs.length;
    const fields: [string[], number][] = [
      [words(entry.code), FIELD_WEIGHTS.subheading],
      [words(entry.code.slice(0, 4)), FIELD_WEIGHTS.heading],
      [words(entry.code.slice(0, 2)), FIELD_WEIGHTS.chapter],
    ];
    let length = 0;
    for (const [list, weight] of fields) {
      for (const w of list) {
        let m = tf.get(w);
        if (m === undefined) tf.set(w, (m = new Map()));
        m.set(n, (m.get(n) ?? 0) + weight);
        length += weight;
      }
    }
    const [sub = [], head = []] = fields.map((f) => f[0]);
    docs.push({ hs6: entry.code, words: new Set([...sub, ...head]), length });
    byCode.set(entry.code, n);
    const h = entry.code.slice(0, 4);
    const list = headings.get(h) ?? [];
    list.push(n);
    headings.set(h, list);
  }
  const postings = new Map<string, Posting>();
  for (const [w, m] of tf) {
    const idf = Math.log(1 + (docs.length - m.size + 0.5) / (m.size + 0.5));
    postings.set(w, { docs: Int32Array.from(m.keys()), tfs: Float64Array.from(m.values()), idf });
  }
  const averageLength = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, docs.length);
  return { docs, byCode, headings, postings, averageLength };
}

const K1 = 1.2;
const B = 0.75;

function termScore(index: HsIndex, p: Posting, i: number, weight: number): number {
  const f = p.tfs[i] ?? 0;
  const len = index.docs[p.docs[i] ?? 0]?.length ?? index.averageLength;
  return (weight * p.idf * (f * (K1 + 1))) / (f + K1 * (1 - B + (B * len) / index.averageLength));
}

/** Adds each distinct query word's BM25 contribution to `scores` (document number to score). */
export function scoreBm25(
  index: HsIndex,
  terms: readonly { term: string; weight: number }[],
  scores: Map<number, number>,
): void {
  const seen = new Set<string>();
  for (const { term, weight } of terms) {
    if (seen.has(term)) continue;
    seen.add(term);
    const p = index.postings.get(term);
    if (p === undefined) continue;
    for (let i = 0; i < p.docs.length; i++) {
      const d = p.docs[i] ?? 0;
      scores.set(d, (scores.get(d) ?? 0) + termScore(index, p, i, weight));
    }
  }
}

/** The BM25 contribution of each distinct query word to one document (for explanations). */
export function explainBm25(
  index: HsIndex,
  terms: readonly { term: string; weight: number }[],
  doc: number,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const { term, weight } of terms) {
    const p = index.postings.get(term);
    if (p === undefined || out.has(term)) continue;
    let lo = 0;
    let hi = p.docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = p.docs[mid] ?? 0;
      if (d === doc) {
        out.set(term, termScore(index, p, mid, weight));
        break;
      }
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  return out;
}
