/**
 * EU H7 super-reduced low-value import dataset (UCC-DA Annex B, numbering of Delegated Reg. 2021/234).
 * Element numbers marked unverified in docs/formats/eu-us-datasets.md are parcelgate's reading.
 */
import { Decimal } from 'decimal.js';
import type { ConsignmentInput, Money, RevenueAssessment } from '../domain/index.js';
import { kg } from './postal-write.js';
import { gramsFromKg, partyFrom, partyTo, type DatasetParty } from './dataset-parties.js';

/** One goods item of an H7 declaration. */
export interface H7GoodsItem {
  /** DE 11 03 goods item number, 1-based. */
  goodsItemNumber: number;
  /** DE 18 05 description of goods. */
  description: string;
  /** DE 18 09 commodity code (HS 6 digits minimum). */
  commodityCode?: string;
  /** DE 18 01 net mass in kg (3 decimals). */
  netMassKg: string;
  /** DE 14 14 intrinsic value of the item. */
  intrinsicValue: Money;
  /** DE 16 08 country of origin. */
  countryOfOrigin: string;
}

/** One tax line (DE 14 03 duties and taxes); absent when IOSS (13 16) is declared. */
export interface H7TaxLine {
  taxType: 'A00' | 'B00';
  taxBase: string;
  rate: string;
  amount: string;
}

/** An H7 declaration; each field carries the data element number it stands for. */
export interface H7Declaration {
  /** DE 11 01 declaration type. */
  declarationType: 'IM';
  /** DE 11 02 additional declaration type: A standard, D pre-lodged. */
  additionalDeclarationType: 'A' | 'D';
  /** DE 12 09 local reference number (= the submitter's reference). */
  lrn?: string;
  /** DE 11 09 procedure (release for free circulation). */
  procedure: '4000';
  /** DE 11 10 additional procedures: F48 IOSS, F49 special arrangements, C07 relief. */
  additionalProcedures: string[];
  /** DE 12 03 supporting documents: N380 invoice; LIC/CRT licence/certificate (own codes). */
  supportingDocuments: { type: 'N380' | 'LIC' | 'CRT'; reference: string }[];
  /** DE 12 05 transport document (S10, AWB, HAWB). */
  transportDocument?: { type: string; id: string };
  /** DE 13 01 exporter (the seller). */
  exporter?: DatasetParty;
  /** DE 13 04 importer (the buyer / consignee). */
  importer?: DatasetParty;
  /** DE 13 05 declarant, with DE 13 06 representative status. */
  declarant?: DatasetParty & { status: 'self' | 'direct' | 'indirect' };
  /** DE 13 16 additional fiscal reference: the IOSS VAT number. */
  additionalFiscalReference?: { role: 'FR5'; vatId: string };
  /** DE 14 15 transport and insurance costs to the destination. */
  transportAndInsuranceCosts?: Money;
  /** DE 14 03 duties and taxes. */
  taxes: H7TaxLine[];
  /** DE 16 06 country of dispatch. */
  countryOfDispatch: string;
  /** DE 16 03 country of destination. */
  countryOfDestination: string;
  /** DE 17 10 customs office of presentation. */
  officeOfPresentation?: string;
  /** DE 18 04 gross mass in kg (3 decimals). */
  grossMassKg?: string;
  goodsItems: H7GoodsItem[];
}

function transportAndInsurance(c: ConsignmentInput): Money | undefined {
  const t = c.totals?.transport;
  const i = c.totals?.insurance;
  if (!t || !i) return t ?? i;
  // DE 14 15 is one amount: transport and insurance are added when in one currency.
  if (t.currency !== i.currency) return t;
  return { amount: new Decimal(t.amount).plus(i.amount).toFixed(), currency: t.currency };
}

function taxLines(c: ConsignmentInput, revenue: RevenueAssessment | undefined): H7TaxLine[] {
  // EU H7: no tax lines when the IOSS number travels in DE 13 16.
  if (!revenue || c.taxCollection?.scheme === 'IOSS') return [];
  return revenue.lines
    .filter((l) => l.collectedBy === 'border' && (l.type === 'duty' || l.type === 'vat'))
    .map((l) => ({
      taxType: l.type === 'duty' ? 'A00' : 'B00',
      taxBase: l.base,
      rate: l.rate,
      amount: l.amount,
    }));
}

/** Maps a canonical consignment (and optionally its revenue assessment) to an H7 declaration. */
export function toH7(input: ConsignmentInput, revenue?: RevenueAssessment): H7Declaration {
  const docs = input.documents;
  const h7: H7Declaration = {
    declarationType: 'IM',
    additionalDeclarationType: input.dates?.accepted === undefined ? 'D' : 'A',
    procedure: '4000',
    additionalProcedures: [...(input.additionalProcedureCodes ?? [])],
    supportingDocuments: [
      ...(docs?.invoice === undefined ? [] : [{ type: 'N380' as const, reference: docs.invoice }]),
      ...(docs?.licences ?? []).map((reference) => ({ type: 'LIC' as const, reference })),
      ...(docs?.certificates ?? []).map((reference) => ({ type: 'CRT' as const, reference })),
    ],
    taxes: taxLines(input, revenue),
    countryOfDispatch: input.routing.dispatchCountry,
    countryOfDestination: input.routing.destinationCountry,
    goodsItems: input.items.map((item, i) => {
      const g: H7GoodsItem = {
        goodsItemNumber: i + 1,
        description: item.description,
        netMassKg: kg(item.netWeightGrams) ?? '0.000',
        intrinsicValue: { ...item.value },
        countryOfOrigin: item.origin,
      };
      if (item.hsCode !== undefined) g.commodityCode = item.hsCode;
      return g;
    }),
  };
  if (input.externalRef !== undefined) h7.lrn = input.externalRef;
  if (input.transportDocument) h7.transportDocument = { ...input.transportDocument };
  if (input.seller) h7.exporter = partyTo(input.seller);
  if (input.consignee) h7.importer = partyTo(input.consignee);
  if (input.declarant) h7.declarant = { ...partyTo(input.declarant), status: input.declarant.status };
  if (input.taxCollection?.scheme === 'IOSS')
    h7.additionalFiscalReference = { role: 'FR5', vatId: input.taxCollection.number };
  const costs = transportAndInsurance(input);
  if (costs) h7.transportAndInsuranceCosts = { ...costs };
  if (input.routing.officeOfEntry !== undefined) h7.officeOfPresentation = input.routing.officeOfEntry;
  const gross = kg(input.totals?.grossWeightGrams);
  if (gross !== undefined) h7.grossMassKg = gross;
  return h7;
}

const APC = new Set(['F48', 'F49', 'C07']);

/** Maps an H7 declaration back to a canonical `declaration` record (fields H7 does not carry are absent). */
export function fromH7(h7: H7Declaration): ConsignmentInput {
  const docs = h7.supportingDocuments;
  const pick = (type: string): string[] => docs.filter((d) => d.type === type).map((d) => d.reference);
  const invoice = pick('N380')[0];
  const licences = pick('LIC');
  const certificates = pick('CRT');
  const c: ConsignmentInput = {
    source: 'declaration',
    // H7 has no CN23 category; an H7 under Art. 23 relief is a sale of goods.
    category: 'sale',
    items: h7.goodsItems.map((g) => ({
      description: g.description,
      ...(g.commodityCode === undefined ? {} : { hsCode: g.commodityCode }),
      // H7 carries no quantity: one line of the declared value.
      quantity: 1,
      unit: 'pcs' as const,
      netWeightGrams: gramsFromKg(g.netMassKg) ?? 0,
      value: { ...g.intrinsicValue },
      origin: g.countryOfOrigin,
    })),
    routing: { dispatchCountry: h7.countryOfDispatch, destinationCountry: h7.countryOfDestination },
  };
  if (h7.lrn !== undefined) c.externalRef = h7.lrn;
  if (h7.transportDocument)
    c.transportDocument = { ...h7.transportDocument } as ConsignmentInput['transportDocument'];
  if (h7.exporter) c.seller = partyFrom(h7.exporter);
  if (h7.importer) c.consignee = partyFrom(h7.importer);
  if (h7.declarant) c.declarant = { ...partyFrom(h7.declarant), status: h7.declarant.status };
  if (h7.additionalFiscalReference)
    c.taxCollection = { scheme: 'IOSS', number: h7.additionalFiscalReference.vatId };
  const apc = h7.additionalProcedures.filter((p) => APC.has(p)) as ('F48' | 'F49' | 'C07')[];
  if (apc.length > 0) c.additionalProcedureCodes = apc;
  const totals: NonNullable<ConsignmentInput['totals']> = {};
  if (h7.transportAndInsuranceCosts) totals.transport = { ...h7.transportAndInsuranceCosts };
  const gross = h7.grossMassKg === undefined ? undefined : gramsFromKg(h7.grossMassKg);
  if (gross !== undefined) totals.grossWeightGrams = gross;
  if (Object.keys(totals).length > 0) c.totals = totals;
  if (h7.officeOfPresentation !== undefined) c.routing.officeOfEntry = h7.officeOfPresentation;
  if (invoice !== undefined || licences.length > 0 || certificates.length > 0) {
    c.documents = {};
    if (invoice !== undefined) c.documents.invoice = invoice;
    if (licences.length > 0) c.documents.licences = licences;
    if (certificates.length > 0) c.documents.certificates = certificates;
  }
  return c;
}
