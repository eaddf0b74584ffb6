/** Injects labelled violations into drafts: each function changes the parcel and records what it did. */
import { CATALOGUE } from './catalogue.js';
import { type Draft, type DraftFactory, type DraftItem, totalMinor } from './draft.js';
import { makeConsignee, watchEntries, WATCH_SELLERS } from './parties.js';
import { WeightedTable } from './prng.js';
import { BRANDED_PRODUCTS, HS_DECOYS, PROHIBITED_PRODUCTS, VAGUE_DESCRIPTIONS } from './special-goods.js';
import type { ViolationType } from './types.js';

/** Share of violating parcels per type (split shipments count every parcel of the group). */
export const VIOLATION_MIX: readonly (readonly [ViolationType, number])[] = [
  ['undervaluation', 0.22],
  ['split-shipment', 0.15],
  ['prohibited', 0.13],
  ['counterfeit', 0.16],
  ['misdescribed-hs', 0.1],
  ['watchlisted-consignee', 0.06],
  ['vague-description', 0.1],
  ['gift-misuse', 0.08],
];

/** Mean number of parcels in a split shipment (3 to 5). */
export const SPLIT_MEAN_SIZE = 4;

/** Turns the per-parcel violation mix into per-event choice weights and the per-slot event chance. */
export function violationPlan(rate: number): { eventChance: number; table: WeightedTable<ViolationType> } {
  const size = (t: ViolationType): number => (t === 'split-shipment' ? SPLIT_MEAN_SIZE : 1);
  const eventWeights = VIOLATION_MIX.map(([t, w]) => [t, w / size(t)] as const);
  const norm = eventWeights.reduce((s, [, w]) => s + w, 0);
  const parcelsPerEvent = eventWeights.reduce((s, [t, w]) => s + (w / norm) * size(t), 0);
  // q events per slot give q*S violating parcels out of 1 - q + q*S parcels; solve for the share `rate`.
  const eventChance = rate / (parcelsPerEvent * (1 - rate) + rate);
  return { eventChance, table: new WeightedTable(eventWeights) };
}

// Product groups the violations draw from (with each product's share of orders: DraftFactory.drawTemplate).
const MIDDLE_PRICED = CATALOGUE.filter((t) => t.medianEur >= 25 && t.medianEur <= 150);
// Goods that usually cost well above the EUR 150 threshold: laptops, drones, robot vacuums, gold jewellery.
const EXPENSIVE = CATALOGUE.filter((t) => t.medianEur >= 250);
const HIGH_DUTY = CATALOGUE.filter((t) => t.highDuty === true);
// Worth at least twice the EUR 45 relief for gifts between private persons (Reg. 1186/2009 Art. 25).
const ABOVE_GIFT_RELIEF = CATALOGUE.filter((t) => t.medianEur >= 90);

function replaceOne(f: DraftFactory, draft: Draft, item: DraftItem): void {
  const index = f.rng.int(0, draft.items.length - 1);
  draft.items[index] = item;
}

/**
 * Declares goods at 10-30% of their typical price, or an expensive item just under EUR 150, or lower than the
 * order; a private gift is declared within the EUR 45 gift relief although its item is worth far more.
 */
export function injectUndervaluation(f: DraftFactory, draft: Draft): void {
  const rng = f.rng;
  if (draft.category === 'gift') {
    // Gift-relief abuse: a private sender writes a round value of at most EUR 45 for an item worth twice that or more.
    const item = f.catalogueItem(draft, f.drawTemplate(ABOVE_GIFT_RELIEF));
    item.quantity = 1;
    item.unitMinor = rng.int(4, 9) * 500;
    draft.items = [item];
    draft.violations.add('undervaluation');
    return;
  }
  const mode = rng.next();
  if (mode < 0.3) {
    // Threshold hugging: an expensive item declared at or just under the EUR 150 customs duty threshold.
    draft.currency = 'EUR';
    draft.fxPerEur = 1;
    const item = f.catalogueItem(draft, f.drawTemplate(EXPENSIVE));
    item.quantity = 1;
    item.unitMinor = rng.chance(0.5) ? 14999 : rng.int(13500, 14998);
    draft.items = [item];
  } else if (mode < 0.85 || draft.platform === undefined) {
    const template = f.drawTemplate(MIDDLE_PRICED);
    const item = f.catalogueItem(draft, template);
    item.unitMinor = Math.max(
      50,
      Math.round(template.medianEur * rng.range(0.1, 0.3) * draft.fxPerEur * 100),
    );
    replaceOne(f, draft, item);
  } else {
    // The order (platform record) shows a higher value or quantity than the carrier/postal declaration.
    const order = draft.items.map((i) => ({ ...i }));
    const target = order[rng.int(0, order.length - 1)];
    if (target !== undefined) {
      if (rng.chance(0.5)) target.quantity += rng.int(1, 3);
      else target.unitMinor = Math.round(target.unitMinor * rng.range(1.8, 4));
    }
    draft.orderItems = order;
    draft.overlap = true;
  }
  draft.violations.add('undervaluation');
}

/** Puts a prohibited or restricted good (battery pack, vape, knife, pepper spray, medicine, seeds) in the parcel. */
export function injectProhibited(f: DraftFactory, draft: Draft): void {
  const rng = f.rng;
  const product = rng.pick(PROHIBITED_PRODUCTS);
  replaceOne(f, draft, {
    description: product.description,
    hs: product.hs,
    quantity: 1,
    unit: product.unit,
    grams: rng.int(product.grams[0], product.grams[1]),
    unitMinor: f.priceMinor(draft, rng.logNormal(product.medianEur, 0.3)),
    origin: draft.origin === 'HK' ? 'CN' : draft.origin,
    sku: `${product.kind.toUpperCase()}-${rng.digits(6)}`,
  });
  draft.violations.add('prohibited');
}

/** Ships a protected-brand product from China at a fraction of the genuine price, sometimes from a watchlisted seller. */
export function injectCounterfeit(f: DraftFactory, draft: Draft): void {
  const rng = f.rng;
  if (rng.chance(0.3)) {
    draft.seller = rng.pick(WATCH_SELLERS);
    draft.sellerId = `${draft.platform ?? 'ALX'}R${rng.digits(6)}`;
  }
  replaceOne(f, draft, f.brandedItem(draft, rng.pick(BRANDED_PRODUCTS), true));
  draft.violations.add('counterfeit');
}

/** Describes a high-duty product (apparel, footwear, bags) but declares the HS code of an unrelated cheap-duty chapter. */
export function injectMisdescribedHs(f: DraftFactory, draft: Draft): void {
  const rng = f.rng;
  const item = f.catalogueItem(draft, f.drawTemplate(HIGH_DUTY));
  const chapter = (item.hs ?? '').slice(0, 2);
  const decoys = HS_DECOYS.filter((hs) => hs.slice(0, 2) !== chapter);
  item.hs = rng.pick(decoys);
  replaceOne(f, draft, item);
  draft.violations.add('misdescribed-hs');
}

/** Sends the parcel to a watchlisted consignee: the person, the drop address, or both. */
export function injectWatchlisted(f: DraftFactory, draft: Draft): void {
  const rng = f.rng;
  const allowed = watchEntries().filter((e) => f.allowsDestination(e.address.country));
  const entry = allowed.length > 0 ? rng.pick(allowed) : rng.pick(watchEntries());
  // With no watched address in an allowed destination, the watched person moves to the parcel's country.
  const mode = allowed.length > 0 ? rng.next() : 0;
  const country = allowed.length > 0 ? entry.address.country : draft.destination;
  const consignee = makeConsignee(rng, country);
  if (mode < 0.75) consignee.name = entry.name;
  if (mode >= 0.5) consignee.address = { ...entry.address };
  draft.destination = country;
  draft.consignee = consignee;
  draft.violations.add('watchlisted-consignee');
}

/** Replaces one item's description with a generic word ('gift', 'parts', 'goods', ...); half lose the HS code too. */
export function injectVagueDescription(f: DraftFactory, draft: Draft): void {
  const rng = f.rng;
  const item = draft.items[rng.int(0, draft.items.length - 1)];
  if (item === undefined) return;
  item.description = rng.pick(VAGUE_DESCRIPTIONS);
  if (rng.chance(0.5)) item.hs = undefined;
  draft.violations.add('vague-description');
}

/** Ticks 'gift' on the CN22/CN23 of a paid marketplace order. */
export function injectGiftMisuse(f: DraftFactory, draft: Draft): void {
  draft.category = 'gift';
  draft.violations.add('gift-misuse');
}

/**
 * Builds a split shipment: one consignee receives `size` parcels the same day from the same seller,
 * each under EUR 150 while together they exceed it.
 */
export function makeSplitGroup(f: DraftFactory, refs: readonly string[], groupId: string): Draft[] {
  const rng = f.rng;
  const first = f.base(refs[0] ?? groupId, { privateAllowed: false });
  first.currency = 'EUR';
  first.fxPerEur = 1;
  const sameProduct = rng.chance(0.3) ? f.drawTemplate(MIDDLE_PRICED) : undefined;
  const drafts = refs.map((ref, i) => {
    const d: Draft =
      i === 0 ? first : { ...f.base(ref, { privateAllowed: false, origin: first.origin }), ref };
    d.seller = first.seller;
    d.sellerId = first.sellerId;
    d.platform = first.platform;
    d.consignee = first.consignee;
    d.destination = first.destination;
    d.origin = first.origin;
    d.dispatch = first.dispatch;
    d.currency = 'EUR';
    d.fxPerEur = 1;
    const template = sameProduct ?? f.drawTemplate(MIDDLE_PRICED);
    const item = f.catalogueItem(d, template);
    // The goods at their market price (a dearer draw is drawn again: each parcel stays under EUR 150),
    // as many units as fill a parcel worth about EUR 55-150: one large order sent in parts.
    while (item.unitMinor > SPLIT_PARCEL_MAX)
      item.unitMinor = f.priceMinor(d, rng.logNormal(template.medianEur, template.sigma));
    const unitGrams = item.grams / item.quantity;
    const fits = Math.floor(SPLIT_PARCEL_MAX / item.unitMinor);
    item.quantity = Math.max(1, Math.min(fits, Math.round(rng.int(5500, SPLIT_PARCEL_MAX) / item.unitMinor)));
    item.grams = unitGrams * item.quantity;
    d.items = [item];
    d.splitGroup = groupId;
    d.violations.add('split-shipment');
    return d;
  });
  // Together the parts exceed the threshold: one more unit in a part that still stays under it.
  for (
    let k = 0, tries = 0;
    groupMinor(drafts) <= 15000 && tries < 100;
    k = (k + 1) % drafts.length, tries++
  ) {
    const item = drafts[k]?.items[0];
    if (item === undefined || (item.quantity + 1) * item.unitMinor > SPLIT_PARCEL_MAX) continue;
    item.grams += item.grams / item.quantity;
    item.quantity++;
  }
  if (groupMinor(drafts) <= 15000) throw new Error('split group does not exceed the threshold');
  return drafts;
}

// The most a part of a split shipment is declared at, in euro cents: just under the EUR 150 threshold.
const SPLIT_PARCEL_MAX = 14999;

const groupMinor = (drafts: readonly Draft[]): number => drafts.reduce((s, d) => s + totalMinor(d.items), 0);
