/** Semantic checks on a structurally checked consignment: code lists, check digits, consistency rules. */
import countries from 'i18n-iso-countries';
import currencyCodes from 'currency-codes';
import type { TaxScheme, ValidationIssue } from '../domain/index.js';
import type { HsNomenclature } from '../reference/index.js';
import { checkAwb, checkS10, checkTaxNumber } from './identifiers.js';
import type { RequirementCheck } from './data-set.js';

const COUNTRIES: ReadonlySet<string> = new Set(Object.keys(countries.getAlpha2Codes()));
// XTS (testing) and XXX (no currency) are ISO 4217 codes but never a transaction currency.
const CURRENCIES: ReadonlySet<string> = new Set(
  currencyCodes.codes().filter((c) => c !== 'XTS' && c !== 'XXX'),
);
// ISO 4217 fund codes, precious metals and special units: codes, but not a currency goods are paid in
// (and no exchange-rate reference converts them).
const NOT_FOR_PAYMENT: ReadonlySet<string> = new Set([
  'XAU',
  'XAG',
  'XPD',
  'XPT',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XSU',
  'XUA',
  'BOV',
  'CHE',
  'CHW',
  'CLF',
  'COU',
  'MXV',
  'USN',
  'UYI',
  'UYW',
]);
const NON_ZERO_DIGIT = /[1-9]/;
const DATE_CHAIN = ['ordered', 'accepted', 'departure', 'expectedArrival'] as const;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

/** True when `code` is an assigned ISO 3166-1 alpha-2 code. */
export const isCountryCode = (code: string): boolean => COUNTRIES.has(code);

/** True when `code` is an ISO 4217 currency usable in a transaction. */
export const isCurrencyCode = (code: string): boolean => CURRENCIES.has(code);

class Checker {
  readonly issues: ValidationIssue[] = [];
  constructor(private readonly failed: ReadonlySet<string>) {}

  /** The string at `path` if it is a string that passed the structural check. */
  good(v: unknown, path: string): string | undefined {
    return typeof v === 'string' && !this.isBad(path) ? v : undefined;
  }

  isBad(path: string): boolean {
    // Valid records have no failed paths: skip hashing freshly built path strings.
    return this.failed.size !== 0 && this.failed.has(path);
  }

  add(code: string, path: string, message: string): void {
    this.issues.push({ code, path, message });
  }

  country(v: unknown, path: string): void {
    const code = this.good(v, path);
    if (code !== undefined && !COUNTRIES.has(code)) {
      this.add('country.unknown', path, `"${code}" is not an ISO 3166-1 alpha-2 country code`);
    }
  }

  /** Checks currency and sign of a money value; returns its currency when valid. */
  money(v: unknown, path: string): string | undefined {
    const m = obj(v);
    if (m === undefined || this.isBad(path)) return undefined;
    const amount = this.good(m.amount, `${path}/amount`);
    if (amount !== undefined && amount.startsWith('-') && NON_ZERO_DIGIT.test(amount)) {
      this.add('money.negative', `${path}/amount`, `amount must not be negative (got "${amount}")`);
    }
    const currency = this.good(m.currency, `${path}/currency`);
    if (currency === undefined) return undefined;
    if (!CURRENCIES.has(currency)) {
      this.add('currency.unknown', `${path}/currency`, `"${currency}" is not an ISO 4217 currency code`);
      return undefined;
    }
    if (NOT_FOR_PAYMENT.has(currency)) {
      this.add(
        'currency.not-for-payment',
        `${path}/currency`,
        `"${currency}" is an ISO 4217 fund, precious-metal or special unit, not a currency goods are paid in`,
      );
      return undefined;
    }
    return currency;
  }

  party(v: unknown, path: string): void {
    const p = obj(v);
    const address = p === undefined ? undefined : obj(p.address);
    if (address !== undefined) this.country(address.country, `${path}/address/country`);
  }
}

function transportDocument(k: Checker, c: Obj): void {
  const doc = obj(c.transportDocument);
  if (doc === undefined) return;
  const type = k.good(doc.type, '/transportDocument/type');
  const id = k.good(doc.id, '/transportDocument/id');
  if (type === undefined || id === undefined) return;
  const path = '/transportDocument/id';
  if (type === 'S10') {
    const result = checkS10(id);
    if (result === 'format') {
      k.add(
        'transport-document.s10-format',
        path,
        `"${id}" is not an S10 id (2 letters, 9 digits, 2 letters)`,
      );
    } else if (!COUNTRIES.has(id.slice(11))) {
      k.add('transport-document.s10-format', path, `S10 id "${id}" ends in an unknown country code`);
    } else if (result === 'check-digit') {
      k.add('transport-document.s10-check-digit', path, `S10 id "${id}" has a wrong check digit`);
    }
  } else if (type === 'AWB') {
    const result = checkAwb(id);
    if (result === 'format') k.add('transport-document.awb-format', path, `AWB "${id}" is not 11 digits`);
    else if (result === 'check-digit') {
      k.add('transport-document.awb-check-digit', path, `AWB "${id}" fails the modulus-7 check digit`);
    }
  }
}

function items(k: Checker, c: Obj, hs: HsNomenclature): void {
  if (!Array.isArray(c.items)) return;
  let firstCurrency: string | undefined;
  for (let i = 0; i < c.items.length; i++) {
    const it = obj(c.items[i]);
    if (it === undefined) continue;
    const base = `/items/${i}`;
    const hsCode = k.good(it.hsCode, `${base}/hsCode`);
    // The source data carries 9999xx "not specified" totals rows (section TOTAL): not real subheadings.
    if (
      hsCode !== undefined &&
      (!hs.isValidSubheading(hsCode) || hs.get(hsCode.slice(0, 6))?.section === 'TOTAL')
    ) {
      k.add('item.hs-code-unknown', `${base}/hsCode`, `${hsCode.slice(0, 6)} is not an HS 2022 subheading`);
    }
    k.country(it.origin, `${base}/origin`);
    const quantity = it.quantity;
    if (
      typeof quantity === 'number' &&
      !Number.isInteger(quantity) &&
      !k.isBad(`${base}/quantity`) &&
      (it.unit === 'pcs' || it.unit === 'pair' || it.unit === 'set')
    ) {
      k.add(
        'item.quantity-not-whole',
        `${base}/quantity`,
        `items[${i}].quantity must be a whole number of ${it.unit} (got ${quantity})`,
      );
    }
    const currency = k.money(it.value, `${base}/value`);
    if (currency === undefined) continue;
    if (firstCurrency === undefined) firstCurrency = currency;
    else if (currency !== firstCurrency) {
      k.add(
        'items.mixed-currency',
        `${base}/value/currency`,
        `all item values must be in one currency: ${currency} differs from ${firstCurrency}`,
      );
    }
  }
}

function money(k: Checker, c: Obj): void {
  const totals = obj(c.totals);
  if (totals !== undefined) {
    for (const key of ['transport', 'insurance', 'declaredValue', 'postalCharges'] as const) {
      if (totals[key] !== undefined) k.money(totals[key], `/totals/${key}`);
    }
  }
  const payment = obj(c.payment);
  if (payment?.amount !== undefined) k.money(payment.amount, '/payment/amount');
  const tax = obj(c.taxCollection);
  if (tax === undefined) return;
  if (tax.taxPaid !== undefined) k.money(tax.taxPaid, '/taxCollection/taxPaid');
  const scheme = k.good(tax.scheme, '/taxCollection/scheme');
  const number = k.good(tax.number, '/taxCollection/number');
  if (scheme === undefined || number === undefined) return;
  const expected = checkTaxNumber(scheme as TaxScheme, number);
  if (expected !== undefined) {
    k.add('tax-collection.number-format', '/taxCollection/number', `${scheme} number must be ${expected}`);
  }
}

function routing(k: Checker, c: Obj): void {
  const r = obj(c.routing);
  if (r === undefined) return;
  k.country(r.dispatchCountry, '/routing/dispatchCountry');
  k.country(r.destinationCountry, '/routing/destinationCountry');
  const list: unknown = r.countries;
  if (!Array.isArray(list) || k.isBad('/routing/countries')) return;
  for (let i = 0; i < list.length; i++) k.country(list[i], `/routing/countries/${i}`);
  // ICS2: the routing must contain the countries of acceptance (dispatch) and delivery (destination).
  for (const key of ['dispatchCountry', 'destinationCountry'] as const) {
    const code = k.good(r[key], `/routing/${key}`);
    if (code !== undefined && !list.includes(code)) {
      k.add('routing.missing-country', '/routing/countries', `routing countries must include ${key} ${code}`);
    }
  }
}

// RFC 3339 allows the years 0000 to 9999; a parcel's dates lie in these (0000 or 9999 is a typing error
// that would otherwise pick the rules of another century as the tax point).
/** The years a record's dates (and a quote's date) may fall in; others are `dates.out-of-range`. */
export const DATE_YEARS = { first: 1970, last: 2099 } as const;

/** Why an ISO date or date-time is `dates.out-of-range`, or undefined when its year is in DATE_YEARS. */
export function dateOutOfRange(text: string): string | undefined {
  const year = Number(text.slice(0, 4));
  return year < DATE_YEARS.first || year > DATE_YEARS.last
    ? `${text} is outside the years ${DATE_YEARS.first} to ${DATE_YEARS.last}`
    : undefined;
}

function inRange(k: Checker, text: string, path: string): void {
  const message = dateOutOfRange(text);
  if (message !== undefined) k.add('dates.out-of-range', path, message);
}

function dates(k: Checker, c: Obj): void {
  const payment = obj(c.payment);
  const paidAt = payment === undefined ? undefined : k.good(payment.paidAt, '/payment/paidAt');
  if (paidAt !== undefined) inRange(k, paidAt, '/payment/paidAt');
  const d = obj(c.dates);
  if (d === undefined) return;
  let prevKey: string | undefined;
  let prevMs = 0;
  for (const key of DATE_CHAIN) {
    const text = k.good(d[key], `/dates/${key}`);
    if (text === undefined) continue;
    inRange(k, text, `/dates/${key}`);
    const ms = toEpochMs(text);
    if (Number.isNaN(ms)) continue;
    if (prevKey !== undefined && ms < prevMs) {
      k.add('dates.order', `/dates/${key}`, `dates.${key} must not be before dates.${prevKey}`);
    }
    prevKey = key;
    prevMs = ms;
  }
}

const CANONICAL_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** Epoch milliseconds of an RFC 3339 time; the common canonical UTC form is computed without Date.parse. */
function toEpochMs(text: string): number {
  if (!CANONICAL_UTC.test(text)) return Date.parse(text);
  const n = (from: number, to: number): number => Number(text.slice(from, to));
  return Date.UTC(n(0, 4), n(5, 7) - 1, n(8, 10), n(11, 13), n(14, 16), n(17, 19));
}

function sourceRequirements(k: Checker, c: Obj, required?: RequirementCheck): void {
  const source = k.good(c.source, '/source');
  if (source === undefined) return;
  const need = (present: boolean, path: string, what: string): void => {
    if (!present) k.add('source.required-field', path, `a ${source} record must include ${what}`);
  };
  // A postal item's transport document, when it has a type, must be an S10 item id.
  const needS10 = (): void => {
    const doc = obj(c.transportDocument);
    if (
      source === 'postal-item' &&
      doc !== undefined &&
      k.good(doc.type, '/transportDocument/type') !== undefined
    )
      need(doc.type === 'S10', '/transportDocument/type', 'an S10 postal item id as transport document');
  };
  if (required !== undefined) {
    // A data set (src/intake/data-set.ts) replaces the built-in presence requirements.
    for (const i of required(source, c)) k.issues.push(i);
    needS10();
    return;
  }
  if (source === 'declaration' || source === 'postal-item' || source === 'carrier-waybill') {
    need(c.transportDocument !== undefined, '/transportDocument', 'a transport document');
    need(c.seller !== undefined, '/seller', 'the seller');
    need(c.consignee !== undefined, '/consignee', 'the consignee');
    needS10();
  } else if (source === 'platform-order' || source === 'payment') {
    const platform = obj(c.platform);
    if (platform === undefined) need(false, '/platform', 'platform.orderId');
    else need(platform.orderId !== undefined, '/platform/orderId', 'platform.orderId');
    if (source === 'platform-order') need(c.consignee !== undefined, '/consignee', 'the consignee');
    else need(c.payment !== undefined, '/payment', 'the payment');
  }
}

/** Semantic issues of a normalised record, checking only fields that passed the structural check. */
export function checkSemantics(
  value: unknown,
  hs: HsNomenclature,
  failed: ReadonlySet<string>,
  required?: RequirementCheck,
): ValidationIssue[] {
  const c = obj(value);
  if (c === undefined) return [];
  const k = new Checker(failed);
  transportDocument(k, c);
  k.party(c.seller, '/seller');
  k.party(c.consignee, '/consignee');
  k.party(c.declarant, '/declarant');
  items(k, c, hs);
  money(k, c);
  routing(k, c);
  dates(k, c);
  sourceRequirements(k, c, required);
  return k.issues;
}
