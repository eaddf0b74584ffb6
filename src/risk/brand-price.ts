/** IPR / counterfeit signal: a protected brand named on an item whose unit value is below the brand's price floor. */
import type { ConsignmentInput, Item, SourceKind } from '../domain/index.js';
import { quiet, round2, type IndicatorResult } from './indicator-result.js';
import { foldText, PhraseSet, tokens, type Tokenizer } from './text-normalise.js';
import { toNumber } from './values.js';

/** A protected brand and the unit value (EUR) below which a genuine article is implausible. */
export interface BrandFloor {
  name: string;
  floorEur: string;
  aliases?: string[];
  /** False when the bare name is a common word ("Apple"): then only aliases match in descriptions. */
  nameInDescription?: boolean;
  /**
   * Product lines of the brand with their own, higher floor ("iPhone" at EUR 400 while AirPods sit at
   * EUR 80): when an item of the brand names one in its description, that floor applies.
   */
  products?: { names: string[]; floorEur: string }[];
  /**
   * Platform sellers authorised to sell the brand, as `platformCode/sellerId` (compared by
   * `sellerIdentityKey`): their parcels are not flagged on the floor unless grossly below it.
   */
  authorisedSellers?: string[];
}

// Zero-width and other invisible format characters (U+200B, U+FEFF...) that copy-paste leaves in ids.
const FORMAT_CHARS = /\p{Cf}+/gu;

/**
 * The comparable form of a platform seller identity `platformCode/sellerId`: Unicode NFKC (full-width
 * letters, ligatures), invisible format characters removed, white space trimmed and collapsed around and
 * inside both parts, letters lower-cased (platform codes and seller handles are case-insensitive).
 * Null when either part is missing.
 */
export function sellerIdentityKey(platformCode: string | undefined, sellerId?: string): string | null {
  let platform = platformCode;
  let seller = sellerId;
  if (seller === undefined && platform !== undefined) {
    const slash = platform.indexOf('/');
    if (slash < 0) return null;
    seller = platform.slice(slash + 1);
    platform = platform.slice(0, slash);
  }
  const norm = (s: string | undefined): string =>
    (s ?? '').normalize('NFKC').replace(FORMAT_CHARS, '').replace(/\s+/gu, ' ').trim().toLowerCase();
  const p = norm(platform);
  const id = norm(seller);
  return p === '' || id === '' ? null : `${p}/${id}`;
}

/**
 * Below this share of the floor an authorised seller's price is flagged all the same: no genuine article
 * sells at a quarter of its lowest plausible price, so the seller's account or the listing is suspect.
 */
export const AUTHORISED_GROSS_SHARE = 0.25;

// True when the folded words `ws` contain `phrase` (folded words) in a row.
function containsPhrase(ws: readonly string[], phrase: readonly string[]): boolean {
  for (let i = 0; i + phrase.length <= ws.length; i++) {
    let k = 0;
    while (k < phrase.length && ws[i + k] === phrase[k]) k++;
    if (k === phrase.length && k > 0) return true;
  }
  return false;
}

/** Finds brand names in free text as whole folded words, case- and accent-insensitive. */
export class BrandMatcher {
  private readonly inField: PhraseSet;
  private readonly inDescription: PhraseSet;
  private readonly byKey = new Map<string, BrandFloor>();
  private readonly lines = new Map<
    BrandFloor,
    { phrase: readonly string[]; floor: number; floorEur: string }[]
  >();
  private readonly authorised = new Map<BrandFloor, ReadonlySet<string>>();
  constructor(readonly brands: readonly BrandFloor[]) {
    const all: string[] = [];
    const desc: string[] = [];
    for (const b of brands) {
      const keys = (b.authorisedSellers ?? []).map((k) => sellerIdentityKey(k)).filter((k) => k !== null);
      if (keys.length > 0) this.authorised.set(b, new Set(keys));
      if (b.products !== undefined && b.products.length > 0)
        this.lines.set(
          b,
          b.products.flatMap((p) =>
            p.names.map((n) => ({ phrase: tokens(n), floor: toNumber(p.floorEur), floorEur: p.floorEur })),
          ),
        );
      for (const n of [b.name, ...(b.aliases ?? [])]) {
        const key = foldText(n);
        if (key === '') continue;
        this.byKey.set(key, b);
        all.push(key);
        if (n !== b.name || b.nameInDescription !== false) desc.push(key);
      }
    }
    this.inField = new PhraseSet(all);
    this.inDescription = new PhraseSet(desc);
  }

  /** The brand named in an item's brand field, if any. */
  findInBrand(text: string | undefined, words: Tokenizer = tokens): BrandFloor | null {
    if (!text) return null;
    const key = this.inField.find(words(text));
    return key === null ? null : (this.byKey.get(key) ?? null);
  }

  /** The floor (EUR) for an item of `brand` described by `ws`: a named product line's, else the brand's. */
  floorOf(brand: BrandFloor, ws: readonly string[]): string {
    let floorEur = brand.floorEur;
    let floor = toNumber(floorEur);
    for (const line of this.lines.get(brand) ?? []) {
      if (line.floor > floor && containsPhrase(ws, line.phrase)) {
        floor = line.floor;
        floorEur = line.floorEur;
      }
    }
    return floorEur;
  }

  /** True when `sellerKey` (a `sellerIdentityKey`) is an authorised seller of `brand`. */
  isAuthorised(brand: BrandFloor, sellerKey: string | null): boolean {
    return sellerKey !== null && this.authorised.get(brand)?.has(sellerKey) === true;
  }

  /** The brand named in a goods description, if any. */
  findInDescription(text: string, words: Tokenizer = tokens): BrandFloor | null {
    const key = this.inDescription.find(words(text));
    return key === null ? null : (this.byKey.get(key) ?? null);
  }
}

/** Module version recorded on hits. */
export const BRAND_PRICE_VERSION = 2;

/**
 * The parcel's platform seller as `sellerIdentityKey`, and whether the platform's own order record
 * vouches for it (docs/partnership.md, "Authorised sellers"): a carrier waybill or a declaration that
 * names a platform seller is the shipper's word only.
 */
function sellerOf(
  c: ConsignmentInput,
  sourceKinds: readonly SourceKind[] | undefined,
): { key: string | null; attested: boolean } {
  const key = c.platform ? sellerIdentityKey(c.platform.id, c.platform.sellerId ?? '') : null;
  return { key, attested: key !== null && sourceKinds?.includes('platform-order') === true };
}

/**
 * Item unit values are converted to EUR with the consignment's own rate (intrinsicValueEur / sum of
 * item values) when the currency is not EUR; the ratio uses binary floats because it only feeds a score.
 * An item sold by one of the brand's authorised sellers, as the platform's own order record says, is not
 * a counterfeit signal unless its price is grossly off (below `AUTHORISED_GROSS_SHARE` of the floor); the
 * result then carries a `note` saying why the floor was not applied.
 */
export function assessBrandPrice(
  c: ConsignmentInput,
  intrinsicValueEur: string | null,
  matcher: BrandMatcher,
  words: Tokenizer = tokens,
  sourceKinds?: readonly SourceKind[],
): IndicatorResult {
  if (matcher.brands.length === 0) return quiet('brand-price', BRAND_PRICE_VERSION);
  let rate: number | null = null;
  let best: IndicatorResult = quiet('brand-price', BRAND_PRICE_VERSION);
  let seller: { key: string | null; attested: boolean } | undefined;
  let cleared: IndicatorResult | undefined;
  for (let i = 0; i < c.items.length; i++) {
    const item = c.items[i] as Item;
    const brand =
      matcher.findInBrand(item.brand, words) ??
      (isAccessoryFor(words(item.description)) ? null : matcher.findInDescription(item.description, words));
    if (!brand) continue;
    if (item.value.currency !== 'EUR' && rate === null) rate = eurRate(c.items, intrinsicValueEur);
    const factor = item.value.currency === 'EUR' ? 1 : rate;
    if (factor === null) continue;
    const unitEur = (toNumber(item.value.amount) * factor) / item.quantity;
    const floorEur = matcher.floorOf(brand, words(item.description));
    const floor = toNumber(floorEur);
    if (!(unitEur < floor)) continue;
    seller ??= sellerOf(c, sourceKinds);
    const authorised = matcher.isAuthorised(brand, seller.key);
    const base = { itemIndex: i, brand: brand.name, unitValueEur: unitEur.toFixed(2), floorEur };
    if (authorised && seller.attested && unitEur >= AUTHORISED_GROSS_SHARE * floor) {
      cleared ??= {
        ...quiet('brand-price', BRAND_PRICE_VERSION),
        note: `"${brand.name}" goods at €${unitEur.toFixed(2)} a unit, below the €${floorEur} floor, come from ${seller.key}, an authorised seller of the brand according to its platform's order: not treated as a counterfeit signal (the price itself is for the undervaluation check)`,
        inputs: { ...base, authorisedSeller: seller.key },
      };
      continue;
    }
    const score = round2(0.5 + 0.5 * (1 - Math.max(0, unitEur) / floor));
    if (score > best.score) {
      const why = !authorised
        ? ''
        : seller.attested
          ? `; its seller ${seller.key} is authorised for the brand, but no genuine article sells below a quarter of the floor`
          : `; the seller ${seller.key} is authorised for the brand, but no order record of its platform confirms the seller`;
      best = {
        id: 'brand-price',
        version: BRAND_PRICE_VERSION,
        score,
        reason: `"${brand.name}" goods declared at €${unitEur.toFixed(2)} a unit, below the €${floorEur} a genuine article costs${why}`,
        inputs: authorised
          ? { ...base, authorisedSeller: seller.key, sellerAttested: seller.attested }
          : base,
      };
    }
  }
  return best.score > 0 || cleared === undefined ? best : cleared;
}

// "case for iPhone 15", "compatible with Samsung": the item is an accessory for the brand, not the brand.
const ACCESSORY_CUES: ReadonlySet<string> = new Set(['for', 'compatible', 'fits', 'fit']);

function isAccessoryFor(ws: readonly string[]): boolean {
  for (const w of ws) if (ACCESSORY_CUES.has(w)) return true;
  return false;
}

function eurRate(items: readonly Item[], intrinsicValueEur: string | null): number | null {
  if (intrinsicValueEur === null) return null;
  let total = 0;
  for (const it of items) total += toNumber(it.value.amount);
  return total > 0 ? toNumber(intrinsicValueEur) / total : null;
}
