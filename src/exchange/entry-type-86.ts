/** US CBP ACE Entry Type 86 (Section 321 de minimis) data elements for one consignment. */
import { Decimal } from 'decimal.js';
import type { ConsignmentInput, ValidationIssue } from '../domain/index.js';
import { IssueList, checkParty, partyTo, type DatasetParty } from './dataset-parties.js';

/** One line of a Type 86 entry. */
export interface T86Line {
  description: string;
  /** 10-digit HTSUS number (classification at 10 digits makes the filing customs business). */
  htsNumber?: string;
  countryOfOrigin: string;
  quantity: number;
  /** Fair retail value in the country of shipment. */
  fairRetailValue: { amount: string; currency: string };
}

/** A US Entry Type 86 filing (data elements of the CBP test notice, 16 Jan 2024 republication). */
export interface T86Entry {
  entryType: '86';
  /** Entry number, assigned by the filer. */
  entryNumber?: string;
  /** Bill of lading or air waybill number (one B/L, master or house, per entry). */
  billOfLading?: string;
  /** Planned port of entry. */
  portOfEntry?: string;
  shipper?: DatasetParty;
  consignee?: DatasetParty;
  /** Importer of record number (conditional). */
  importerOfRecord?: string;
  /** Destination country of the consignment (must be US). */
  destinationCountry: string;
  lines: T86Line[];
}

/** Section 321(a)(2)(C) ceiling: aggregate fair retail value of USD 800. */
const DE_MINIMIS_USD = new Decimal(800);
/** EO 14324: de minimis suspended for all countries from this date (REFERENCE §4.1). */
export const T86_SUSPENDED_FROM = '2025-08-29';

/** The form of a CBP entry number: filer code, 7-digit serial, check digit. */
export const T86_ENTRY_NUMBER = /^[A-Z0-9]{3}-?\d{7}-?\d$/;

/**
 * Maps a consignment to Type 86 data elements. `entryNumber` is the filer's, passed in; without it, a
 * consignment's external reference that has the form of an entry number (as a Type 86 import stores
 * it) is written as the entry number.
 */
export function toEntryType86(input: ConsignmentInput, opts: { entryNumber?: string } = {}): T86Entry {
  const t: T86Entry = {
    entryType: '86',
    destinationCountry: input.routing.destinationCountry,
    lines: input.items.map((i) => {
      const line: T86Line = {
        description: i.description,
        countryOfOrigin: i.origin,
        quantity: i.quantity,
        fairRetailValue: { ...i.value },
      };
      if (i.hsCode !== undefined) line.htsNumber = i.hsCode;
      return line;
    }),
  };
  const entryNumber =
    opts.entryNumber ??
    (input.externalRef !== undefined && T86_ENTRY_NUMBER.test(input.externalRef)
      ? input.externalRef
      : undefined);
  if (entryNumber !== undefined) t.entryNumber = entryNumber;
  const bl = input.transportDocument?.id ?? input.masterReference;
  if (bl !== undefined) t.billOfLading = bl;
  if (input.routing.officeOfEntry !== undefined) t.portOfEntry = input.routing.officeOfEntry;
  if (input.seller) t.shipper = partyTo(input.seller);
  if (input.consignee) t.consignee = partyTo(input.consignee);
  const id = input.consignee?.id;
  if (id && (id.type === 'TIN' || id.type === 'OTHER')) t.importerOfRecord = id.value;
  return t;
}

const CODES = { required: 't86.required', format: 't86.format' };

/**
 * Validates a Type 86 entry; issue paths name the data element (`/T86/Line[0]/HTSNumber`). With `on`
 * (an ISO date) on or after 29 Aug 2025, reports that de minimis, hence Type 86, is suspended.
 */
export function validateT86(t: T86Entry, opts: { on?: string } = {}): ValidationIssue[] {
  const l = new IssueList('/T86/');
  if (t.entryType !== '86') l.add('t86.format', 'EntryType', 'entry type must be 86');
  if (t.destinationCountry !== 'US')
    l.add('t86.not-eligible', 'DestinationCountry', 'Type 86 is for shipments entering the United States');
  if (opts.on !== undefined && opts.on.slice(0, 10) >= T86_SUSPENDED_FROM)
    l.add(
      't86.not-eligible',
      'EntryType',
      'de minimis (Section 321) is suspended since 29 Aug 2025 (EO 14324)',
    );
  if (l.need(t.billOfLading, 't86.required', 'BillOfLading', 'the bill of lading / air waybill number'))
    l.format(t.billOfLading, /^[A-Za-z0-9-]{1,35}$/, 't86.format', 'BillOfLading', 'the B/L or AWB number');
  l.format(t.entryNumber, T86_ENTRY_NUMBER, 't86.format', 'EntryNumber', 'the entry number');
  l.format(
    t.portOfEntry,
    /^\d{4}$/,
    't86.format',
    'PortOfEntry',
    'the port of entry (4-digit CBP port code)',
  );
  checkParty(l, t.shipper, 'Shipper', CODES, { street: true });
  checkParty(l, t.consignee, 'Consignee', CODES, { street: true });
  if (t.lines.length === 0) l.add('t86.required', 'Line', 'at least one line is required');
  let total = new Decimal(0);
  t.lines.forEach((line, i) => {
    const at = `Line[${i}]`;
    l.need(line.description, 't86.required', `${at}/Description`, 'the description');
    if (l.need(line.htsNumber, 't86.required', `${at}/HTSNumber`, 'the 10-digit HTS number'))
      l.format(line.htsNumber, /^\d{10}$/, 't86.format', `${at}/HTSNumber`, 'the HTS number (10 digits)');
    l.format(
      line.countryOfOrigin,
      /^[A-Z]{2}$/,
      't86.format',
      `${at}/CountryOfOrigin`,
      'the country of origin',
    );
    if (!(line.quantity > 0)) l.add('t86.format', `${at}/Quantity`, 'the quantity must be positive');
    const v = line.fairRetailValue;
    if (!/^\d{1,15}(\.\d{1,6})?$/.test(v.amount))
      l.add('t86.format', `${at}/FairRetailValue`, `fair retail value "${v.amount}" is malformed`);
    else if (v.currency === 'USD') total = total.plus(v.amount);
    else l.add('t86.format', `${at}/FairRetailValue`, 'the fair retail value must be stated in USD');
  });
  if (total.greaterThan(DE_MINIMIS_USD))
    l.add(
      't86.not-eligible',
      'FairRetailValue',
      `aggregate fair retail value USD ${total.toFixed(2)} exceeds 800`,
    );
  return l.issues;
}
