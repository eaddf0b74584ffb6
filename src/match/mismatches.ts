/** Source mismatch indicators: where two sources of one parcel disagree on value, goods or consignee. */
import { Dec, dec, type ConsignmentInput, type Item, type Mismatch, type Party } from '../domain/index.js';

/** How far two sources may differ before a disagreement counts as a mismatch. */
export interface MatchTolerances {
  /** Relative tolerance on total value as a decimal fraction of the larger total ("0.01" = 1%). */
  valueRatio: string;
  /** Absolute tolerance on total value in the records' currency ("0.50"); the larger tolerance applies. */
  valueAbsolute: string;
}

/** Default tolerances: 1% or 0.50 in the currency, whichever is larger, absorbing rounding noise. */
export const DEFAULT_TOLERANCES: Readonly<MatchTolerances> = Object.freeze({
  valueRatio: '0.01',
  valueAbsolute: '0.50',
});

/** What the comparison needs from one record, computed once per record rather than once per pair. */
export interface RecordSummary {
  /** Source kind or declaration id naming the record in `Mismatch.between`. */
  label: string;
  /** Distinct item currencies, sorted and comma-joined ("EUR" or "EUR,USD"). */
  currency: string;
  /** Sum of item values when all items share one currency. */
  total: Dec | undefined;
  consignee: { name: string; postcode: string } | undefined;
  items: readonly Item[];
}

const CONVERTIBLE: Readonly<Record<string, { base: string; factor: string }>> = {
  g: { base: 'kg', factor: '0.001' },
  kg: { base: 'kg', factor: '1' },
  ml: { base: 'l', factor: '0.001' },
  l: { base: 'l', factor: '1' },
};

/** Summarises a record for mismatch detection. */
export function summarise(label: string, input: ConsignmentInput): RecordSummary {
  const items = input.items;
  const first = items[0]?.value.currency ?? '';
  let single = true;
  for (const item of items) if (item.value.currency !== first) single = false;
  let total: Dec | undefined;
  let currency = first;
  if (single && items[0] !== undefined) {
    total = dec(items[0].value.amount);
    for (let i = 1; i < items.length; i++) total = total.plus(dec(items[i]?.value.amount ?? '0'));
  } else {
    currency = [...new Set(items.map((item) => item.value.currency))].sort().join(',');
  }
  return { label, currency, total, consignee: consigneeKey(input.consignee), items };
}

/** Lists every mismatch between two summarised records, in a fixed order: currency/value, consignee, items. */
export function compareRecords(
  a: RecordSummary,
  b: RecordSummary,
  tolerances: MatchTolerances = DEFAULT_TOLERANCES,
): Mismatch[] {
  const between: [string, string] = [a.label, b.label];
  const out: Mismatch[] = [];
  if (a.currency !== b.currency) {
    out.push({
      field: 'currency',
      between,
      values: [a.currency, b.currency],
      message: `${a.label} states values in ${a.currency} but ${b.label} in ${b.currency}`,
    });
  } else if (
    a.total !== undefined &&
    b.total !== undefined &&
    !withinTolerance(a.total, b.total, tolerances)
  ) {
    const values: [string, string] = [showAmount(a.total), showAmount(b.total)];
    out.push({
      field: 'value',
      between,
      values,
      message: `${a.label} gives a total value of ${values[0]} ${a.currency} but ${b.label} gives ${values[1]} ${b.currency}`,
    });
  }
  if (a.consignee !== undefined && b.consignee !== undefined && !sameConsignee(a.consignee, b.consignee)) {
    const values: [string, string] = [showConsignee(a.consignee), showConsignee(b.consignee)];
    out.push({
      field: 'consignee',
      between,
      values,
      message: `${a.label} names the consignee "${values[0]}" but ${b.label} names "${values[1]}"`,
    });
  }
  if (a.items.length !== b.items.length) {
    out.push({
      field: 'items',
      between,
      values: [String(a.items.length), String(b.items.length)],
      message: `${a.label} lists ${a.items.length} item(s) but ${b.label} lists ${b.items.length}`,
    });
    return out;
  }
  for (let i = 0; i < a.items.length; i++) {
    const x = a.items[i];
    const y = b.items[i];
    if (x !== undefined && y !== undefined) compareItems(x, y, i, between, out);
  }
  return out;
}

/** True when two totals differ by no more than the larger of the relative and the absolute tolerance. */
export function withinTolerance(a: Dec, b: Dec, tolerances: MatchTolerances): boolean {
  const difference = a.minus(b).abs();
  if (difference.isZero()) return true;
  const larger = Dec.max(a.abs(), b.abs());
  const allowed = Dec.max(larger.times(dec(tolerances.valueRatio)), dec(tolerances.valueAbsolute));
  return difference.lte(allowed);
}

// Each source of a parcel names the same consignee, and consignees recur: a bounded memo of the
// normalised names, forgotten whole when full (answers never change, memory stays bounded).
const NAME_MEMO_LIMIT = 4096;
let normalisedNames = new Map<string, string>();

/** Normalises a person's or company's name: accents, case, punctuation and word order removed. */
export function normaliseName(name: string): string {
  let key = normalisedNames.get(name);
  if (key === undefined) {
    key = normaliseNameNow(name);
    if (normalisedNames.size >= NAME_MEMO_LIMIT) normalisedNames = new Map();
    normalisedNames.set(name, key);
  }
  return key;
}

function normaliseNameNow(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
    .sort()
    .join(' ');
}

/** Normalises a postcode: upper case, letters and digits only ("sw1a 1aa" -> "SW1A1AA"). */
export function normalisePostcode(postcode: string): string {
  return postcode.toUpperCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

function consigneeKey(party: Party | undefined): RecordSummary['consignee'] {
  if (party === undefined) return undefined;
  const postcode = party.address.postcode;
  return {
    name: normaliseName(party.name),
    postcode: postcode === undefined ? '' : normalisePostcode(postcode),
  };
}

// A postcode missing on one side is not a disagreement; only two known postcodes can differ.
function sameConsignee(
  a: { name: string; postcode: string },
  b: { name: string; postcode: string },
): boolean {
  if (a.name !== b.name) return false;
  return a.postcode === '' || b.postcode === '' || a.postcode === b.postcode;
}

// Amounts keep at least two decimals so "38" reads as the money amount "38.00".
function showAmount(amount: Dec): string {
  return amount.decimalPlaces() <= 2 ? amount.toFixed(2) : amount.toFixed();
}

function showConsignee(key: { name: string; postcode: string }): string {
  return key.postcode === '' ? key.name : `${key.name}, ${key.postcode}`;
}

function compareItems(x: Item, y: Item, index: number, between: [string, string], out: Mismatch[]): void {
  const [left, right] = between;
  const number = index + 1;
  if (!sameQuantity(x, y)) {
    const values: [string, string] = [`${x.quantity} ${x.unit}`, `${y.quantity} ${y.unit}`];
    out.push({
      field: 'quantity',
      between,
      values,
      itemIndex: index,
      message: `item ${number}: ${left} declares ${values[0]} but ${right} declares ${values[1]}`,
    });
  }
  // HS codes agree internationally only on the first 6 digits; national 8/10-digit extensions may differ.
  if (x.hsCode !== undefined && y.hsCode !== undefined && x.hsCode.slice(0, 6) !== y.hsCode.slice(0, 6)) {
    out.push({
      field: 'hsCode',
      between,
      values: [x.hsCode, y.hsCode],
      itemIndex: index,
      message: `item ${number}: ${left} classifies under HS ${x.hsCode} but ${right} under HS ${y.hsCode}`,
    });
  }
  if (x.origin !== y.origin) {
    out.push({
      field: 'origin',
      between,
      values: [x.origin, y.origin],
      itemIndex: index,
      message: `item ${number}: ${left} gives origin ${x.origin} but ${right} gives ${y.origin}`,
    });
  }
}

// Same unit: plain comparison. Mass and volume units convert exactly (1500 g = 1.5 kg); others never match.
function sameQuantity(x: Item, y: Item): boolean {
  if (x.unit === y.unit) return x.quantity === y.quantity;
  const cx = CONVERTIBLE[x.unit];
  const cy = CONVERTIBLE[y.unit];
  if (cx === undefined || cy === undefined || cx.base !== cy.base) return false;
  return dec(x.quantity).times(cx.factor).eq(dec(y.quantity).times(cy.factor));
}
