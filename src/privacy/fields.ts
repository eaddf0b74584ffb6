/**
 * Where personal data sits in stored documents, by data class, and the walks that encrypt, decrypt,
 * purge or redact it. The walks look for party objects (`seller`, `consignee`, `declarant`) at any
 * depth, so they work on consignment records, stored consignment documents and their versions alike.
 */

/** Data classes of personal data, each with its own retention period. */
export const dataClasses = ['identity', 'contact', 'party'] as const;
export type DataClass = (typeof dataClasses)[number];

/** What each class covers. */
export const dataClassFields: Readonly<Record<DataClass, string>> = {
  identity: 'identity numbers of parties (`id.value`: tax id, personal id, PCCC, EORI)',
  contact: 'phone numbers and e-mail addresses of parties',
  party: 'names and street lines of parties (country, city and postcode stay for statistics)',
};

/** Placeholder of a purged or redacted value. */
export const purgedValue = '[purged]';

const partyKeys = new Set(['seller', 'consignee', 'declarant']);

type Json = Record<string, unknown>;

/** Calls `fn` on every party object found in `doc` (depth-first), e.g. `doc.consignee`. */
export function eachParty(doc: unknown, fn: (party: Json) => void): void {
  if (typeof doc !== 'object' || doc === null) return;
  if (Array.isArray(doc)) {
    for (const v of doc) eachParty(v, fn);
    return;
  }
  for (const [k, v] of Object.entries(doc as Json)) {
    if (typeof v !== 'object' || v === null) continue;
    if (partyKeys.has(k) && !Array.isArray(v)) fn(v as Json);
    else eachParty(v, fn);
  }
}

/** Rewrites the identity number of every party in place with `fn`; returns how many changed. */
export function mapIdentityNumbers(doc: unknown, fn: (value: string) => string): number {
  let n = 0;
  eachParty(doc, (p) => {
    const id = p.id as { value?: unknown } | undefined;
    if (id && typeof id.value === 'string') {
      const next = fn(id.value);
      if (next !== id.value) {
        id.value = next;
        n += 1;
      }
    }
  });
  return n;
}

/** Replaces the values of the given classes in place; returns how many values were replaced. */
export function scrub(doc: unknown, classes: readonly DataClass[]): number {
  return replacePartyFields(doc, classes, purgedValue, (v) => typeof v === 'string');
}

/**
 * Replaces the party fields of the given classes in `doc` (in place) by `value`: those `replaceable`
 * holds for and that are not `value` already. Returns how many it replaced.
 */
export function replacePartyFields(
  doc: unknown,
  classes: readonly DataClass[],
  value: string,
  replaceable: (v: unknown) => boolean,
): number {
  let n = 0;
  const set = (o: Json, k: string) => {
    if (replaceable(o[k]) && o[k] !== value) {
      o[k] = value;
      n += 1;
    }
  };
  eachParty(doc, (p) => {
    if (classes.includes('identity') && p.id !== null && typeof p.id === 'object') set(p.id as Json, 'value');
    if (classes.includes('contact')) {
      set(p, 'phone');
      set(p, 'email');
    }
    if (classes.includes('party')) {
      set(p, 'name');
      const a = p.address as Json | undefined;
      if (a !== null && typeof a === 'object') {
        for (const k of Object.keys(a)) if (!['country', 'city', 'postcode'].includes(k)) set(a, k);
      }
    }
  });
  return n;
}

/** Paths pino redacts in every log line (credentials, and personal data should a body be logged). */
export const logRedactPaths: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'authorization',
  'token',
  'apiKey',
  ...['seller', 'consignee', 'declarant'].flatMap((p) => [
    `${p}.name`,
    `${p}.phone`,
    `${p}.email`,
    `${p}.id.value`,
    `${p}.address.street`,
    `*.${p}.name`,
    `*.${p}.phone`,
    `*.${p}.email`,
    `*.${p}.id.value`,
    `*.${p}.address.street`,
  ]),
];
