/** ICS2 house-level pre-loading advance cargo information (PLACI, the "7+1" dataset) plus HS6 per item. */
import type { ConsignmentInput, ValidationIssue } from '../domain/index.js';
import { kg } from './postal-write.js';
import { IssueList, checkParty, gramsFromKg, partyTo, type DatasetParty } from './dataset-parties.js';

/** A house-level PLACI filing for one consignment. */
export interface PlaciHouse {
  /** House transport document (HAWB or S10 item id): the "+1". */
  transportDocument?: { type: string; id: string };
  /** Master transport document, when known (links house and master filings). */
  masterTransportDocument?: string;
  consignor?: DatasetParty;
  consignee?: DatasetParty;
  /** Number of packages: one parcel per house consignment (parcelgate's choice). */
  numberOfPackages: number;
  /** Total gross mass in kg (3 decimals). */
  grossMassKg?: string;
  /** Goods description for the consignment: item descriptions joined by "; ". */
  goodsDescription: string;
  /** Per item: description and the first six HS digits (ICS2 requirement). */
  goodsItems: { description: string; hs6?: string }[];
  /** Country of acceptance (loading) and of delivery. */
  acceptanceCountry: string;
  deliveryCountry: string;
  /** Countries of routing in order. */
  routingCountries: string[];
}

// Terms ICS2 guidance names as too generic; kept as data (REFERENCE §3.1, §1.4).
const GENERIC_TERMS = new Set([
  'accessories',
  'auto parts',
  'consolidated',
  'food products',
  'general cargo',
  'gift',
  'gifts',
  'goods',
  'machinery',
  'parts',
  'samples',
  'spare parts',
  'stc',
  'various',
]);
// Countries without a postcode system, where ICS2 does not require one; unverified selection.
const POSTCODE_OPTIONAL = new Set(['AE', 'AO', 'BS', 'HK', 'IE', 'JM', 'MO', 'QA', 'TZ', 'UG', 'ZW']);

/** Builds the house-level PLACI dataset of a consignment. */
export function toPlaci(input: ConsignmentInput): PlaciHouse {
  const r = input.routing;
  const gross = input.totals?.grossWeightGrams ?? input.items.reduce((sum, i) => sum + i.netWeightGrams, 0);
  const p: PlaciHouse = {
    numberOfPackages: 1,
    grossMassKg: kg(gross) ?? '0.000',
    goodsDescription: input.items
      .map((i) => i.description)
      .join('; ')
      .slice(0, 512),
    goodsItems: input.items.map((i) =>
      i.hsCode === undefined
        ? { description: i.description }
        : { description: i.description, hs6: i.hsCode.slice(0, 6) },
    ),
    acceptanceCountry: r.dispatchCountry,
    deliveryCountry: r.destinationCountry,
    routingCountries: r.countries ? [...r.countries] : [r.dispatchCountry, r.destinationCountry],
  };
  if (input.transportDocument) p.transportDocument = { ...input.transportDocument };
  if (input.masterReference !== undefined) p.masterTransportDocument = input.masterReference;
  if (input.seller) p.consignor = partyTo(input.seller);
  if (input.consignee) p.consignee = partyTo(input.consignee);
  return p;
}

const CODES = { required: 'placi.required', format: 'placi.format' };

/** Validates a PLACI house filing; each issue path names the PLACI element (`/PLACI/Consignor/Name`). */
export function validatePlaci(p: PlaciHouse): ValidationIssue[] {
  const l = new IssueList('/PLACI/');
  l.need(p.transportDocument?.id, 'placi.required', 'TransportDocument', 'the house transport document');
  for (const [party, element] of [
    [p.consignor, 'Consignor'],
    [p.consignee, 'Consignee'],
  ] as const) {
    checkParty(l, party, element, CODES, {
      street: true,
      postcode: party !== undefined && !POSTCODE_OPTIONAL.has(party.country),
    });
  }
  if (!Number.isInteger(p.numberOfPackages) || p.numberOfPackages < 1)
    l.add('placi.format', 'NumberOfPackages', 'the number of packages must be a positive integer');
  if (l.need(p.grossMassKg, 'placi.required', 'GrossMass', 'the total gross mass')) {
    l.format(p.grossMassKg, /^\d{1,9}(\.\d{1,3})?$/, 'placi.format', 'GrossMass', 'the gross mass');
    if (gramsFromKg(p.grossMassKg) === 0)
      l.add('placi.format', 'GrossMass', 'the gross mass must be greater than zero');
  }
  l.need(p.goodsDescription, 'placi.required', 'GoodsDescription', 'the goods description');
  if (p.goodsItems.length === 0) l.add('placi.required', 'GoodsItem', 'at least one goods item is required');
  p.goodsItems.forEach((g, i) => {
    const at = `GoodsItem[${i}]`;
    if (GENERIC_TERMS.has(g.description.trim().toLowerCase()))
      l.add('placi.generic-description', `${at}/Description`, `"${g.description}" is too generic for ICS2`);
    if (l.need(g.hs6, 'placi.required', `${at}/CommodityCode`, 'the first six HS digits'))
      l.format(g.hs6, /^\d{6}$/, 'placi.format', `${at}/CommodityCode`, 'the HS6 code');
  });
  const routing = new Set(p.routingCountries);
  if (!routing.has(p.acceptanceCountry) || !routing.has(p.deliveryCountry))
    l.add(
      'placi.routing',
      'CountriesOfRouting',
      `routing ${p.routingCountries.join(',')} must include ${p.acceptanceCountry} and ${p.deliveryCountry}`,
    );
  return l.issues;
}
