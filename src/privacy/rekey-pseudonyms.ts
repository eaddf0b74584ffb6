/**
 * Re-keys every stored pseudonym under a pseudonym key (docs/security.md, "Pseudonyms"): after an
 * upgrade from unkeyed pseudonyms (migration 15 marked the database `unkeyed`), and to rotate the key.
 *
 * A pseudonym cannot be turned into another one without what it was made of, so each is recomputed
 * from the data the database still holds: the consignment's identity number (decrypted with the data
 * keys), the consignee's name and postcode, the seller's id or name. The rows are taken by stored key:
 * all rows of one old key are one person (or party) and get one new key, the key computed from the
 * first of its consignments that still holds the data. Per-person totals are therefore the same
 * before and after, whatever the purge has removed:
 *
 * - a key none of whose consignments holds its data any more (every one purged) keeps its rows
 *   together under a key derived from the old one (`orphans` in the report; a second run under the
 *   same key leaves them as they are); the person's later parcels start a new history
 *   (docs/security.md says when this can happen);
 * - an unkeyed risk key (clear folded name, postcode and country, or the seller's id or name) is its
 *   own basis: it is keyed exactly, data held or not.
 *
 * Consignee keys made from the version-1 basis (name, postcode and country, without the street; a
 * database migration 82 marked) are re-keyed per consignment instead: one old key may stand for two
 * people of one name in one postcode, who get a key each from their own consignment's street. A row
 * whose consignment no longer holds the data goes with the rest of its old key as above. The mark is
 * removed in the same transaction.
 *
 * Every change and the new key's fingerprint are written in one transaction: a failed run changes
 * nothing. Run it with every parcelgate process of the database stopped.
 */
import { createHash } from 'node:crypto';
import { ParcelgateError, type ConsignmentInput } from '../domain/index.js';
import { unkeyedIdentityPersonKey } from '../revenue/person-key.js';
import { identityBasisOf, nameBasisOf } from '../revenue/ledger.js';
import { consigneeBasis, consigneeBasisV1, sellerBasis } from '../risk/split-shipment.js';
import { purgedValue } from './fields.js';
import {
  consigneePseudonym,
  identityPseudonym,
  namePseudonym,
  pseudonymKeySetting,
  sellerPseudonym,
  type Pseudonymiser,
} from './pseudonym.js';
import {
  consigneeBasisSetting,
  unkeyedMarker,
  type PseudonymKind,
  type PseudonymRows,
  type RowRekey,
} from './pseudonym-rows.js';

/** What one kind of pseudonym went through. */
export interface RekeyKindReport {
  kind: PseudonymKind;
  /** Distinct stored keys. */
  keys: number;
  /** Recomputed from a consignment's data. */
  fromData: number;
  /** Unkeyed clear risk keys keyed as they are. */
  fromClear: number;
  /** Keys whose consignments no longer hold the data (kept together under a derived key). */
  orphans: number;
}

/** The result of a re-key. */
export interface RekeyPseudonymsReport {
  /** The key the database was under (`unkeyed` after an upgrade; absent on a new database). */
  from: string | null;
  /** The fingerprint now recorded. */
  to: string;
  kinds: RekeyKindReport[];
  /** Rows rewritten. */
  rows: number;
}

const held = (v: string | undefined): v is string => v !== undefined && v !== '' && v !== purgedValue;

type Make = (basis: string, p: Pseudonymiser) => string;

/** What a key of `kind` is made of in a consignment, with its maker, or undefined when the data is gone. */
function basisOf(
  kind: PseudonymKind,
  oldKey: string,
  input: ConsignmentInput,
): { basis: string; make: Make; unkeyed: (basis: string) => string } | undefined {
  const c = input.consignee;
  switch (kind) {
    case 'person':
      if (c === undefined) return undefined;
      // The same kind of person key as before: a person counted by number stays counted by number.
      if (oldKey.startsWith('p:'))
        return c.id !== undefined && held(c.id.value)
          ? { basis: identityBasisOf(c.id), make: identityPseudonym, unkeyed: unkeyedIdentityPersonKey }
          : undefined;
      return held(c.name) && c.address.postcode !== purgedValue
        ? { basis: nameBasisOf(c), make: namePseudonym, unkeyed: unkeyedNamePersonKey }
        : undefined;
    case 'consignee': {
      if (!consigneeHeld(c)) return undefined;
      const basis = consigneeBasis(input);
      return basis === null ? undefined : { basis, make: consigneePseudonym, unkeyed: (b) => b };
    }
    case 'seller': {
      // The text `sellerBasis` takes (the platform's seller id, else the seller's id, else its name) must be held.
      const s = input.seller;
      if (input.platform?.sellerId === undefined && !held(s?.id !== undefined ? s.id.value : s?.name))
        return undefined;
      const basis = sellerBasis(input);
      return basis === undefined ? undefined : { basis, make: sellerPseudonym, unkeyed: (b) => b };
    }
  }
}

/** Whether a consignee's name, postcode and street (what its key is made of) are still held. */
function consigneeHeld(c: ConsignmentInput['consignee']): c is NonNullable<ConsignmentInput['consignee']> {
  return (
    c !== undefined && held(c.name) && c.address.postcode !== purgedValue && c.address.street !== purgedValue
  );
}

/**
 * The consignee key a consignment's data makes under `to`, when that data also makes the stored
 * version-1 key `oldKey` (under `from`, when given: the clear version-1 basis when unkeyed); else undefined.
 */
export function consigneeFromV1Data(
  oldKey: string,
  input: ConsignmentInput,
  to: Pseudonymiser,
  from?: Pseudonymiser | 'unkeyed',
): string | undefined {
  const c = input.consignee;
  if (!consigneeHeld(c)) return undefined;
  const v1 = consigneeBasisV1(input);
  const basis = consigneeBasis(input);
  if (v1 === null || basis === null) return undefined;
  if (from !== undefined && (from === 'unkeyed' ? v1 : consigneePseudonym(v1, from)) !== oldKey)
    return undefined;
  return consigneePseudonym(basis, to);
}

/** The name-based person key before keyed pseudonyms (`h:` + 96 bits of SHA-256). */
const unkeyedNamePersonKey = (basis: string): string =>
  `h:${createHash('sha256').update(basis).digest('hex').slice(0, 24)}`;

/**
 * The new key of `kind` made from a consignment's data, or undefined when the data is gone or (when
 * the old key can be recomputed: `from` given, or unkeyed) no longer makes the stored key.
 */
export function pseudonymFromData(
  kind: PseudonymKind,
  oldKey: string,
  input: ConsignmentInput,
  to: Pseudonymiser,
  from?: Pseudonymiser | 'unkeyed',
): string | undefined {
  const b = basisOf(kind, oldKey, input);
  if (b === undefined) return undefined;
  if (from !== undefined && (from === 'unkeyed' ? b.unkeyed(b.basis) : b.make(b.basis, from)) !== oldKey)
    return undefined;
  return b.make(b.basis, to);
}

const keyedForm: Readonly<Record<PseudonymKind, RegExp>> = {
  person: /^[ph]:[0-9a-f]{32}$/,
  consignee: /^c:[0-9a-f]{32}$/,
  seller: /^s:[0-9a-f]{32}$/,
};

/** The key of rows whose data is gone: derived from the old key, with the old key's prefix. */
function orphanKey(kind: PseudonymKind, oldKey: string, to: Pseudonymiser): string {
  const prefix =
    kind === 'person' ? (oldKey.startsWith('h:') ? 'h:' : 'p:') : kind === 'consignee' ? 'c:' : 's:';
  return `${prefix}${to.hex(`rekeyed\u0000${kind}\u0000${oldKey}`)}`;
}

/**
 * Re-keys every pseudonym under `to` and records its fingerprint. `inputOf` gives a consignment's
 * current (merged, decrypted) input, or undefined when it is gone.
 */
export async function rekeyPseudonyms(
  rows: PseudonymRows,
  inputOf: (consignmentId: string) => Promise<ConsignmentInput | undefined>,
  to: Pseudonymiser,
  opts: { page?: number; previous?: Pseudonymiser } = {},
): Promise<RekeyPseudonymsReport> {
  const from = (await rows.getSetting(pseudonymKeySetting)) ?? null;
  const unkeyed = from === unkeyedMarker;
  if (opts.previous !== undefined && from !== null && !unkeyed && from !== opts.previous.fingerprint)
    throw new ParcelgateError(
      'privacy.pseudonym-key-mismatch',
      `the previous pseudonym key given ('${opts.previous.id}') is not the one this database records ('${from.slice(0, from.lastIndexOf(':'))}')`,
      500,
    );
  const check: Pseudonymiser | 'unkeyed' | undefined = unkeyed ? 'unkeyed' : opts.previous;
  const pageSize = opts.page ?? 5000;
  const v1Consignees = (await rows.getSetting(consigneeBasisSetting)) !== undefined;
  const rowMaps = new Map<PseudonymKind, RowRekey[]>();
  const maps = new Map<PseudonymKind, Map<string, string>>();
  const kinds: RekeyKindReport[] = [];
  for (const kind of ['person', 'consignee', 'seller'] as const) {
    const map = new Map<string, string>();
    const report: RekeyKindReport = { kind, keys: 0, fromData: 0, fromClear: 0, orphans: 0 };
    // Version-1 consignee keys: each consignment's rows get the key of its own data (see above).
    const perRow = kind === 'consignee' && v1Consignees;
    const rowList: RowRekey[] = [];
    let clear: string | undefined;
    let current: string | undefined;
    let next: string | undefined;
    const finish = () => {
      if (current === undefined) return;
      report.keys += 1;
      if (next === undefined && clear !== undefined) {
        next = clear;
        report.fromClear += 1;
      }
      if (next === undefined) {
        report.orphans += 1;
        // Already under this key (a second run): the rows keep their key.
        next = from === to.fingerprint ? current : orphanKey(kind, current, to);
      }
      map.set(current, next);
    };
    let after = null;
    for (;;) {
      const page = await rows.page(kind, after, pageSize);
      if (page.length === 0) break;
      for (const r of page) {
        if (r.key !== current) {
          finish();
          current = r.key;
          next = undefined;
          clear = undefined;
          // An unkeyed risk key is the clear basis itself: keyed exactly, without the consignment (a
          // version-1 consignee key only when none of its consignments holds the data).
          if (unkeyed && kind !== 'person' && !keyedForm[kind].test(r.key)) {
            const keyed = kind === 'consignee' ? consigneePseudonym(r.key, to) : sellerPseudonym(r.key, to);
            if (perRow) clear = keyed;
            else {
              next = keyed;
              report.fromClear += 1;
            }
          }
        }
        if (perRow) {
          const input = await inputOf(r.consignmentId);
          const made = input === undefined ? undefined : consigneeFromV1Data(r.key, input, to, check);
          if (made !== undefined) {
            rowList.push({ old: r.key, consignmentId: r.consignmentId, new: made });
            if (next === undefined) {
              next = made;
              report.fromData += 1;
            }
          }
          continue;
        }
        if (next !== undefined) continue;
        const input = await inputOf(r.consignmentId);
        const made = input === undefined ? undefined : pseudonymFromData(kind, r.key, input, to, check);
        if (made !== undefined) {
          next = made;
          report.fromData += 1;
        }
      }
      after = page[page.length - 1]!;
    }
    finish();
    maps.set(kind, map);
    if (perRow) rowMaps.set(kind, rowList);
    kinds.push(report);
  }
  const changed = await rows.apply(maps, to.fingerprint, rowMaps);
  return { from, to: to.fingerprint, kinds, rows: changed };
}
