/** Scores HS 2022 subheadings for a free-text description: vocabulary evidence plus BM25 over the HS texts. */
import type { HsNomenclature } from '../reference/index.js';
import { calibrated, calibrationFeatures, DEFAULT_CALIBRATION, type Calibration } from './calibration.js';
import { buildHsIndex, explainBm25, scoreBm25, type HsIndex } from './hs-index.js';
import { tokenise, type Token } from './normalise.js';
import { matchVocabulary, parseVocabulary, type Vocabulary, type VocabularyMatch } from './vocabulary.js';

/** Weights of the evidence sources; defaults chosen on the tuning split of data/classify/eval-public.csv. */
export interface ScoringParams {
  /** Multiplier of the BM25 score over the HS texts. */
  textWeight: number;
  /** Bonus (or malus) for a subheading whose text agrees (or disagrees) with an attribute of the description. */
  attributeWeight: number;
  /** Multiplier of brand entries (a brand hints at a heading, a product noun decides it). */
  brandFactor: number;
  /** How many best candidates are re-ranked and enter the confidence softmax. */
  candidateLimit: number;
}

/** Everything classification needs, built once. */
export interface Classifier {
  index: HsIndex;
  vocabulary: Vocabulary;
  params: ScoringParams;
  calibration: Calibration;
  /** Every word of a vocabulary phrase (with the HS text words, what the classifier knows). */
  vocabularyWords: ReadonlySet<string>;
}

/** One alternative subheading with its calibrated probability. */
export interface Alternative {
  hs6: string;
  confidence: number;
}

/** A word (or vocabulary phrase) that moved the score of the chosen subheading. */
export interface ExplanationItem {
  word: string;
  source: 'hs-text' | 'vocabulary';
  weight: number;
}

/** The suggested code at 6, 4 and 2 digits with calibrated confidences, alternatives and the words behind it. */
export interface Classification {
  /** Empty when no word of the description is known to the vocabulary or the HS texts. */
  hs6: string;
  hs4: string;
  hs2: string;
  confidence: number;
  hs4Confidence: number;
  hs2Confidence: number;
  alternatives: Alternative[];
  explanation: ExplanationItem[];
}

/** The scoring defaults. */
export const DEFAULT_PARAMS: ScoringParams = {
  textWeight: 0.25,
  attributeWeight: 1,
  brandFactor: 0.7,
  candidateLimit: 40,
};

/** Builds a classifier from the nomenclature and a parsed vocabulary file (pure: no I/O). */
export function buildClassifier(
  hs: HsNomenclature,
  rawVocabulary: unknown,
  calibration: Calibration = DEFAULT_CALIBRATION,
  params: ScoringParams = DEFAULT_PARAMS,
): Classifier {
  const isCode = (code: string): boolean => {
    const level = hs.get(code)?.level;
    return code.length === 6 ? level === 6 : level === 4;
  };
  const vocabulary = parseVocabulary(rawVocabulary, isCode);
  const index = buildHsIndex(hs, vocabulary.lexicon);
  return { index, vocabulary, params, calibration, vocabularyWords: vocabularyWords(vocabulary) };
}

/** The words of every phrase of a vocabulary. */
export function vocabularyWords(vocabulary: Vocabulary): Set<string> {
  return new Set([...vocabulary.entries.keys()].flatMap((k) => k.split(' ')));
}

/** A scored candidate subheading. */
export interface Candidate {
  doc: number;
  hs6: string;
  score: number;
  /** Softmax share among the candidates (before calibration). */
  share: number;
}

/** The internal ranking of one description: tokens, vocabulary matches and candidates best first. */
export interface Ranking {
  tokens: Token[];
  matches: VocabularyMatch[];
  candidates: Candidate[];
  /** Tokens known neither to the HS texts nor to the vocabulary. */
  unknownTokens: number;
}

function addVocabulary(
  c: Classifier,
  matches: readonly VocabularyMatch[],
  scores: Map<number, number>,
): void {
  const { index, params } = c;
  for (const { entry, weight } of matches) {
    const factor = weight * (entry.kind === 'brand' ? params.brandFactor : 1);
    for (const t of entry.targets) {
      const docs = t.code.length === 4 ? index.headings.get(t.code) : [index.byCode.get(t.code)];
      for (const d of docs ?? []) {
        if (d !== undefined) scores.set(d, (scores.get(d) ?? 0) + t.weight * factor);
      }
    }
  }
}

/** The attribute adjustment of one subheading: agreeing texts gain, texts naming another value of the group lose. */
function attributeScore(c: Classifier, doc: number, present: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  const words = c.index.docs[doc]?.words;
  if (words === undefined) return out;
  const { attributes } = c.vocabulary;
  for (const a of attributes) {
    if (!present.has(a.name)) continue;
    const has = [...a.doc].some((w) => words.has(w));
    if (has) {
      out.set(a.name, c.params.attributeWeight);
      continue;
    }
    const rival = attributes.some(
      (o) => o.group === a.group && o !== a && [...o.doc].some((w) => words.has(w)),
    );
    if (rival) out.set(a.name, -c.params.attributeWeight);
  }
  return out;
}

function presentAttributes(c: Classifier, tokens: readonly Token[]): Set<string> {
  const terms = new Set(tokens.map((t) => t.term));
  const present = new Set<string>();
  for (const a of c.vocabulary.attributes) {
    if ([...a.query].some((w) => terms.has(w))) present.add(a.name);
  }
  return present;
}

/** Ranks every plausible subheading for a description. */
export function rank(c: Classifier, description: string): Ranking {
  const tokens = tokenise(description, c.vocabulary.lexicon);
  const matches = matchVocabulary(
    tokens.map((t) => t.term),
    tokens.map((t) => t.weight),
    c.vocabulary,
  );
  const vocab = new Map<number, number>();
  addVocabulary(c, matches, vocab);
  const text = new Map<number, number>();
  scoreBm25(c.index, tokens, text);
  const combined = new Map<number, number>(vocab);
  for (const [d, s] of text) combined.set(d, (combined.get(d) ?? 0) + c.params.textWeight * s);
  const pool = [...combined].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, c.params.candidateLimit * 2);
  const present = presentAttributes(c, tokens);
  const rescored = pool.map(([doc, s]): [number, number] => {
    let adj = 0;
    for (const v of attributeScore(c, doc, present).values()) adj += v;
    return [doc, s + adj];
  });
  rescored.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const top = rescored.slice(0, c.params.candidateLimit);
  const best = top[0]?.[1] ?? 0;
  const exps = top.map(([, s]) => Math.exp((s - best) / c.calibration.temperature));
  const total = exps.reduce((a, b) => a + b, 0);
  const candidates = top.map(([doc, score], i) => ({
    doc,
    hs6: c.index.docs[doc]?.hs6 ?? '',
    score,
    share: (exps[i] ?? 0) / total,
  }));
  let unknownTokens = 0;
  for (const t of tokens) {
    if (!c.index.postings.has(t.term) && !c.vocabularyWords.has(t.term)) unknownTokens += 1;
  }
  return { tokens, matches, candidates, unknownTokens };
}

function explain(c: Classifier, ranking: Ranking, top: Candidate): ExplanationItem[] {
  const items: ExplanationItem[] = [];
  for (const { entry, weight } of ranking.matches) {
    const factor = weight * (entry.kind === 'brand' ? c.params.brandFactor : 1);
    const w = entry.targets
      .filter((t) => top.hs6.startsWith(t.code))
      .reduce((s, t) => s + t.weight * factor, 0);
    if (w !== 0) items.push({ word: entry.phrase, source: 'vocabulary', weight: w });
  }
  for (const [term, s] of explainBm25(c.index, ranking.tokens, top.doc)) {
    items.push({ word: term, source: 'hs-text', weight: s * c.params.textWeight });
  }
  for (const [name, w] of attributeScore(c, top.doc, presentAttributes(c, ranking.tokens))) {
    items.push({ word: name, source: 'vocabulary', weight: w });
  }
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return items
    .map((i) => ({ ...i, weight: round(i.weight) }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.word.localeCompare(b.word));
}

/** Suggests the HS 2022 code of a description with calibrated confidence, `topK` alternatives and an explanation. */
export function classify(c: Classifier, description: string, topK = 5): Classification {
  const ranking = rank(c, description);
  const top = ranking.candidates[0];
  if (top === undefined) {
    const none = { hs6: '', hs4: '', hs2: '', confidence: 0, hs4Confidence: 0, hs2Confidence: 0 };
    return { ...none, alternatives: [], explanation: [] };
  }
  const confidence = calibrated(c.calibration, calibrationFeatures(ranking, 6), 6);
  const rest = 1 - top.share;
  const scale = rest > 1e-12 ? (1 - confidence) / rest : 0;
  const round = (x: number): number => Math.round(x * 10000) / 10000;
  const alternatives = ranking.candidates
    .slice(1, topK + 1)
    .map((x) => ({ hs6: x.hs6, confidence: round(Math.min(confidence, x.share * scale)) }));
  const hs4 = top.hs6.slice(0, 4);
  const hs2 = top.hs6.slice(0, 2);
  // A heading (chapter) is at least as likely as any subheading (heading) in it.
  const hs4Confidence = Math.max(confidence, calibrated(c.calibration, calibrationFeatures(ranking, 4), 4));
  return {
    hs6: top.hs6,
    hs4,
    hs2,
    confidence: round(confidence),
    hs4Confidence: round(hs4Confidence),
    hs2Confidence: round(
      Math.max(hs4Confidence, calibrated(c.calibration, calibrationFeatures(ranking, 2), 2)),
    ),
    alternatives,
    explanation: explain(c, ranking, top),
  };
}

/** Classifies many descriptions, in order. */
export function classifyBatch(c: Classifier, descriptions: readonly string[], topK = 5): Classification[] {
  return descriptions.map((d) => classify(c, d, topK));
}
