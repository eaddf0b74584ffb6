/** The curated e-commerce vocabulary (data/classify/vocabulary.json): parsing and validation. */
import { ParcelgateError } from '../domain/index.js';
import { applySynonyms, baseWords, buildLexicon, type Lexicon } from './normalise.js';

/** One code a vocabulary phrase points at, with its weight (4-digit codes spread to every subheading). */
export interface VocabularyTarget {
  code: string;
  weight: number;
}

/** A phrase of the vocabulary after normalisation, with where it points. */
export interface VocabularyEntry {
  phrase: string;
  kind: 'product' | 'brand';
  targets: readonly VocabularyTarget[];
}

/** An attribute value (women, cotton, leather): words that reveal it in a description and in an HS text. */
export interface AttributeValue {
  name: string;
  group: string;
  query: ReadonlySet<string>;
  doc: ReadonlySet<string>;
}

/** The vocabulary ready for scoring. */
export interface Vocabulary {
  lexicon: Lexicon;
  /** Normalised phrase to its entry; products win over brands on the same phrase. */
  entries: ReadonlyMap<string, VocabularyEntry>;
  maxPhraseWords: number;
  attributes: readonly AttributeValue[];
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function fail(path: string, message: string): never {
  throw new ParcelgateError('classify.vocabulary-invalid', `vocabulary ${path}: ${message}`, 500, { path });
}

function objectAt(value: Json | undefined, path: string): Record<string, Json> {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
    return fail(path, 'must be an object');
  }
  return value;
}

function stringMap(value: Json | undefined, path: string): Record<string, string> {
  const obj = objectAt(value, path);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v !== 'string') fail(`${path}/${k}`, 'must be a string');
    out[k] = v;
  }
  return out;
}

function stringList(value: Json | undefined, path: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    fail(path, 'must be a list of strings');
  return value as string[];
}

/** Parses 'CODE:weight CODE:weight' and checks each code against `isCode`. */
export function parseTargets(
  text: string,
  path: string,
  isCode: (code: string) => boolean,
): VocabularyTarget[] {
  const targets: VocabularyTarget[] = [];
  for (const part of text.trim().split(/\s+/)) {
    const m = /^(\d{4}|\d{6}):(\d+(?:\.\d+)?)$/.exec(part);
    if (m === null) fail(path, `target '${part}' is not CODE:weight with a 4- or 6-digit code`);
    const [, code = '', weight = '0'] = m;
    if (!isCode(code)) fail(path, `code ${code} is not in HS 2022`);
    targets.push({ code, weight: Number(weight) });
  }
  return targets;
}

function parseAttributes(value: Json | undefined, lexicon: Lexicon): AttributeValue[] {
  const out: AttributeValue[] = [];
  for (const [group, values] of Object.entries(objectAt(value, '/attributes'))) {
    for (const [name, spec] of Object.entries(objectAt(values, `/attributes/${group}`))) {
      const path = `/attributes/${group}/${name}`;
      const s = objectAt(spec, path);
      const words = (list: string[]): Set<string> =>
        new Set(list.flatMap((w) => applySynonyms(baseWords(w, lexicon.keepWithDigits), lexicon)));
      out.push({
        name,
        group,
        query: words(stringList(s.query, `${path}/query`)),
        doc: words(stringList(s.doc, `${path}/doc`)),
      });
    }
  }
  return out;
}

/** Validates and normalises a parsed vocabulary file; every code must exist in the nomenclature. */
export function parseVocabulary(raw: unknown, isCode: (code: string) => boolean): Vocabulary {
  const root = objectAt(raw as Json, '');
  if (root.version !== 1) fail('/version', 'must be 1');
  const synonyms = stringMap(root.synonyms, '/synonyms');
  const products = stringMap(root.products, '/products');
  const brands = stringMap(root.brands, '/brands');
  const withDigits = [...Object.keys(synonyms), ...Object.keys(products), ...Object.keys(brands)]
    .flatMap((k) => k.toLowerCase().split(/\s+/))
    .filter((w) => /\d/.test(w) && /[a-z]/.test(w));
  const lexicon = buildLexicon(synonyms, stringList(root.stopwords, '/stopwords'), withDigits);
  const entries = new Map<string, VocabularyEntry>();
  const canonical = new Set([...lexicon.synonyms.values()].map((w) => w.join(' ')));
  let maxPhraseWords = 1;
  const add = (source: Record<string, string>, kind: 'product' | 'brand'): void => {
    for (const [phrase, text] of Object.entries(source)) {
      const path = `/${kind}s/${phrase}`;
      const base = baseWords(phrase, lexicon.keepWithDigits);
      // A phrase already in canonical form ('food supplement') must not be expanded again.
      const words = canonical.has(base.join(' ')) ? base : applySynonyms(base, lexicon);
      if (words.length === 0) fail(path, 'phrase has no words left after normalisation');
      const key = words.join(' ');
      const targets = parseTargets(text, path, isCode);
      if (kind === 'brand' && entries.has(key)) continue;
      entries.set(key, { phrase: key, kind, targets });
      maxPhraseWords = Math.max(maxPhraseWords, words.length);
    }
  };
  add(products, 'product');
  add(brands, 'brand');
  return { lexicon, entries, maxPhraseWords, attributes: parseAttributes(root.attributes, lexicon) };
}

/** A phrase of the vocabulary found in a description, with the weight of the words it covered. */
export interface VocabularyMatch {
  entry: VocabularyEntry;
  weight: number;
}

/** Finds vocabulary phrases in a token list, longest first, left to right; each word is used once. */
export function matchVocabulary(
  terms: readonly string[],
  weights: readonly number[],
  vocabulary: Vocabulary,
): VocabularyMatch[] {
  const matches: VocabularyMatch[] = [];
  let i = 0;
  while (i < terms.length) {
    let step = 1;
    for (let n = Math.min(vocabulary.maxPhraseWords, terms.length - i); n >= 1; n--) {
      const entry = vocabulary.entries.get(terms.slice(i, i + n).join(' '));
      if (entry !== undefined) {
        // The first word decides: in 'case for iPhone' the phrase is about the case.
        matches.push({ entry, weight: weights[i] ?? 1 });
        step = n;
        break;
      }
    }
    i += step;
  }
  return matches;
}
