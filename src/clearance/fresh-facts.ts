/**
 * What post-commit observers need of a fresh consignment (its parties, intrinsic value and assessment
 * time), read from its ready-to-write texts without materialising it: the few values wanted are cut
 * out of the JSON by a string-aware scan and only those small pieces are parsed.
 */
import type { ConsignmentInput } from '../domain/index.js';
import type { FreshConsignment } from '../store/index.js';

/**
 * The text of the value of `key` among the top-level members of the JSON object `json` (starting at
 * `from`, the index of its `{`), or undefined when the object has no such member. The scan knows
 * strings and nesting, so a key-like text inside a string or a nested object is never taken.
 */
export function memberText(json: string, key: string, from = 0): string | undefined {
  let depth = 0;
  let i = from;
  const n = json.length;
  const quotedKey = JSON.stringify(key);
  while (i < n) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      // a string: at depth 1 right after `{` or `,` it is a member name
      const end = stringEnd(json, i);
      if (depth === 1 && json.charCodeAt(end + 1) === 0x3a) {
        if (end + 1 - i === quotedKey.length && json.startsWith(quotedKey, i)) {
          const start = end + 2;
          return json.slice(start, valueEnd(json, start));
        }
        i = valueEnd(json, end + 2);
        continue;
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return undefined;
    }
    i++;
  }
  return undefined;
}

/** Index of the closing quote of the string whose opening quote is at `i`. */
function stringEnd(json: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = json.indexOf('"', j);
    if (q < 0) throw new SyntaxError('unterminated string in JSON text');
    let backslashes = 0;
    for (let k = q - 1; json.charCodeAt(k) === 0x5c; k--) backslashes++;
    if (backslashes % 2 === 0) return q;
    j = q + 1;
  }
}

/** Index just past the JSON value starting at `i` (compact JSON: no whitespace between tokens). */
function valueEnd(json: string, i: number): number {
  const c = json.charCodeAt(i);
  if (c === 0x22) return stringEnd(json, i) + 1;
  if (c !== 0x7b && c !== 0x5b) {
    let j = i;
    while (j < json.length) {
      const d = json.charCodeAt(j);
      if (d === 0x2c || d === 0x7d || d === 0x5d) break;
      j++;
    }
    return j;
  }
  let depth = 0;
  let j = i;
  while (j < json.length) {
    const d = json.charCodeAt(j);
    if (d === 0x22) {
      j = stringEnd(json, j) + 1;
      continue;
    }
    if (d === 0x7b || d === 0x5b) depth++;
    else if (d === 0x7d || d === 0x5d) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  throw new SyntaxError('unterminated value in JSON text');
}

function parsed<T>(text: string | undefined): T | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

/** A fresh consignment's facts for observers: the parties of its merged data, its revenue figures, when it was assessed. */
export interface FreshFacts {
  /** The parties and platform of the merged data (the only members filled). */
  parties: Pick<ConsignmentInput, 'consignee' | 'seller' | 'platform'>;
  /** `assessment.revenue.intrinsicValue` and `currency`. */
  intrinsicValue: string;
  currency: string;
  /** `assessment.assessedAt`. */
  assessedAt: string;
}

/** Reads the facts of a fresh consignment from its document and declaration texts. */
export function freshFacts(f: FreshConsignment): FreshFacts {
  const doc = f.doc;
  const merged = memberText(doc, 'merged');
  // A single-source consignment's document leaves `merged` out (null): it is that source's data.
  const data = merged === undefined || merged === 'null' ? f.declarations[0]?.json : merged;
  if (data === undefined) throw new Error(`fresh consignment ${f.id} has no data to observe`);
  const consignee = parsed<ConsignmentInput['consignee']>(memberText(data, 'consignee'));
  const seller = parsed<ConsignmentInput['seller']>(memberText(data, 'seller'));
  const platform = parsed<ConsignmentInput['platform']>(memberText(data, 'platform'));
  const assessment = memberText(doc, 'assessment');
  const revenue = assessment === undefined ? undefined : memberText(assessment, 'revenue');
  const intrinsicValue = parsed<string>(
    revenue === undefined ? undefined : memberText(revenue, 'intrinsicValue'),
  );
  const assessedAt = parsed<string>(
    assessment === undefined ? undefined : memberText(assessment, 'assessedAt'),
  );
  if (intrinsicValue === undefined || assessedAt === undefined)
    throw new Error(`fresh consignment ${f.id} has no assessment to observe`);
  return {
    parties: {
      ...(consignee === undefined ? {} : { consignee }),
      ...(seller === undefined ? {} : { seller }),
      ...(platform === undefined ? {} : { platform }),
    },
    intrinsicValue,
    currency: f.currency,
    assessedAt,
  };
}
