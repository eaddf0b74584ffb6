/** Party and mass helpers shared by the H7, PLACI and Type 86 mappings. */
import type { Party, ValidationIssue } from '../domain/index.js';

/** A party as customs datasets carry it: name, postal address, country and one identifier. */
export interface DatasetParty {
  name: string;
  street?: string;
  city?: string;
  postcode?: string;
  country: string;
  /** Identification number (EORI, VAT, TIN...) with its kind. */
  identification?: { type: string; value: string };
}

/** Maps a canonical party to a dataset party (phone, e-mail and region are not carried). */
export function partyTo(p: Party): DatasetParty {
  const d: DatasetParty = { name: p.name, country: p.address.country };
  if (p.address.street !== undefined) d.street = p.address.street;
  if (p.address.city !== undefined) d.city = p.address.city;
  if (p.address.postcode !== undefined) d.postcode = p.address.postcode;
  if (p.id) d.identification = { ...p.id };
  return d;
}

/** Maps a dataset party back to a canonical party. */
export function partyFrom(d: DatasetParty): Party {
  const p: Party = { name: d.name, address: { country: d.country } };
  if (d.street !== undefined) p.address.street = d.street;
  if (d.city !== undefined) p.address.city = d.city;
  if (d.postcode !== undefined) p.address.postcode = d.postcode;
  if (d.identification) p.id = { ...d.identification } as Party['id'];
  return p;
}

const KG = /^\d{1,9}(\.\d{1,3})?$/;

/** Kilograms as a decimal string ("0.300") to whole grams; undefined when not such a number. */
export function gramsFromKg(text: string): number | undefined {
  if (!KG.test(text)) return undefined;
  const [whole = '0', frac = ''] = text.split('.');
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
}

/** Collects issues whose path names a dataset element. */
export class IssueList {
  readonly issues: ValidationIssue[] = [];
  constructor(private readonly prefix: string) {}

  /** Adds an issue for `element`. */
  add(code: string, element: string, message: string): void {
    this.issues.push({ code, path: `${this.prefix}${element}`, message });
  }

  /** Reports `required` when `value` is missing or blank; returns whether it is present. */
  need(value: string | undefined, code: string, element: string, what: string): value is string {
    if (value !== undefined && value.trim() !== '') return true;
    this.add(code, element, `${what} is required`);
    return false;
  }

  /** Reports `format` when a present value fails `pattern`. */
  format(value: string | undefined, pattern: RegExp, code: string, element: string, what: string): void {
    if (value !== undefined && !pattern.test(value))
      this.add(code, element, `${what} "${value}" is malformed`);
  }
}

/** Party checks shared by the datasets: name, address and country. */
export function checkParty(
  list: IssueList,
  p: DatasetParty | undefined,
  element: string,
  codes: { required: string; format: string },
  opts: { street?: boolean; postcode?: boolean } = {},
): void {
  if (!p) {
    list.add(codes.required, element, `${element} is required`);
    return;
  }
  list.need(p.name, codes.required, `${element}/Name`, 'the name');
  if (list.need(p.country, codes.required, `${element}/Country`, 'the country'))
    list.format(p.country, /^[A-Z]{2}$/, codes.format, `${element}/Country`, 'the country code');
  if (opts.street) list.need(p.street, codes.required, `${element}/Street`, 'street and number or P.O. box');
  if (opts.postcode) list.need(p.postcode, codes.required, `${element}/Postcode`, 'the postcode');
  list.need(p.city, codes.required, `${element}/City`, 'the city');
}
