/** Renders a draft parcel into its source records (postal item or carrier waybill, plus the platform order). */
import type { ConsignmentInput, Declarant, Item, Party } from '../domain/index.js';
import { type Draft, type DraftItem, formatMinor, totalEurCents, totalMinor } from './draft.js';
import { makeAwb, makeOrderId, makePaymentRef, makeS10 } from './identifiers.js';
import { EU27 } from './locales.js';
import type { SellerPool } from './parties.js';
import type { Prng } from './prng.js';
import { type FloodLabel, type FloodRecord, VIOLATION_TYPES } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const EU = new Set(EU27);

const AIRPORTS: Readonly<Record<string, readonly string[]>> = {
  CN: ['PVG', 'CAN', 'SZX', 'HGH', 'CGO', 'PEK'],
  HK: ['HKG'],
  US: ['JFK', 'ORD', 'LAX'],
  GB: ['LHR', 'EMA'],
  TR: ['IST'],
  IN: ['DEL', 'BOM'],
  KR: ['ICN'],
  JP: ['NRT', 'KIX'],
  VN: ['SGN', 'HAN'],
  TW: ['TPE'],
  TH: ['BKK'],
  CH: ['ZRH', 'GVA'],
};
// EU air cargo hubs where express consolidations land before onward carriage.
const HUBS = ['BE', 'DE', 'NL', 'HU', 'FR'];
const PROVIDERS = ['PayPal', 'Stripe', 'Adyen', 'Klarna', 'Alipay'];
const EXPRESS_DECLARANTS: readonly Declarant[] = [
  {
    name: 'SkyBridge Express Europe B.V.',
    status: 'indirect',
    address: { street: 'Pakhuisweg 12', postcode: '1118 CK', city: 'Schiphol', country: 'NL' },
    id: { type: 'EORI', value: 'NL823456789' },
  },
  {
    name: 'Dragonfly Logistics Belgium NV',
    status: 'indirect',
    address: { street: 'Rue de l’Aéroport 40', postcode: '4460', city: 'Grâce-Hollogne', country: 'BE' },
    id: { type: 'EORI', value: 'BE0712345678' },
  },
  {
    name: 'EuroLink Parcel GmbH',
    status: 'indirect',
    address: { street: 'Frachtstraße 3', postcode: '04435', city: 'Schkeuditz', country: 'DE' },
    id: { type: 'EORI', value: 'DE345678901234567' },
  },
];

/** Per-flood context for rendering: the arrival day, the random source, the seller pool and consolidation MAWBs. */
export interface RenderContext {
  rng: Prng;
  dayStartMs: number;
  pool: SellerPool;
  mawbs: readonly string[];
  /** Transport document ids already issued in this flood: every parcel gets its own. */
  usedDocIds: Set<string>;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** RFC 3339 UTC timestamp to the second, formatted by hand (Date#toISOString dominated the profile). */
export function iso(ms: number): string {
  const secs = Math.round(ms / 1000);
  const days = Math.floor(secs / 86400);
  const rest = secs - days * 86400;
  // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil inverse).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest % 3600) / 60);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(h)}:${pad2(m)}:${pad2(rest % 60)}Z`;
}

function toItem(d: Draft, item: DraftItem): Item {
  const out: Item = {
    description: item.description,
    quantity: item.quantity,
    unit: item.unit,
    netWeightGrams: item.grams,
    value: { amount: formatMinor(item.unitMinor * item.quantity), currency: d.currency },
    origin: item.origin,
  };
  if (item.hs !== undefined) out.hsCode = item.hs;
  if (item.brand !== undefined) out.brand = item.brand;
  return out;
}

/** Renders a draft into its records: the carrier or postal declaration, and the platform order when it overlaps. */
export function renderDraft(ctx: RenderContext, d: Draft): FloodRecord[] {
  const rng = ctx.rng;
  let docId = d.kind === 'postal' ? makeS10(rng, d.dispatch) : makeAwb(rng);
  while (ctx.usedDocIds.has(docId)) docId = d.kind === 'postal' ? makeS10(rng, d.dispatch) : makeAwb(rng);
  ctx.usedDocIds.add(docId);
  const transportDocument = { type: d.kind === 'postal' ? ('S10' as const) : ('AWB' as const), id: docId };
  const acceptedMs = ctx.dayStartMs - rng.range(2, 6) * DAY;
  const orderedMs = acceptedMs - rng.range(0.5, 3) * DAY;
  const arrivalMs = ctx.dayStartMs + rng.range(4, 22) * HOUR;
  const departureMs = acceptedMs + rng.range(0.3, 1.4) * DAY;
  const eurCents = totalEurCents(d);
  const totalDeclared = totalMinor(d.items);
  const grossGrams = d.items.reduce((s, i) => s + i.grams, 0) + rng.int(30, 180);
  const hub = d.kind === 'express' && EU.has(d.destination) ? rng.pick(HUBS) : undefined;
  const routing: ConsignmentInput['routing'] = {
    dispatchCountry: d.dispatch,
    destinationCountry: d.destination,
    countries:
      hub === undefined || hub === d.destination
        ? [d.dispatch, d.destination]
        : [d.dispatch, hub, d.destination],
    placeOfLoading: rng.pick(AIRPORTS[d.dispatch] ?? ['XXX']),
    // Synthetic office of entry: one postal and one express office per destination.
    officeOfEntry: `${d.destination}00000${d.kind === 'postal' ? '1' : '2'}`,
  };
  const platform =
    d.platform === undefined
      ? undefined
      : {
          id: d.platform,
          orderId: makeOrderId(rng, d.platform),
          ...(d.sellerId === undefined ? {} : { sellerId: d.sellerId }),
        };
  const ioss =
    platform !== undefined && EU.has(d.destination) && eurCents <= 15000 && rng.chance(0.6)
      ? ctx.pool.iossOf(platform.id)
      : undefined;
  const f49 =
    ioss === undefined &&
    d.kind === 'postal' &&
    EU.has(d.destination) &&
    eurCents <= 15000 &&
    rng.chance(0.25);
  const transportIncluded = rng.chance(0.7);
  const shippingMinor = transportIncluded ? 0 : rng.int(99, 699);

  const primary: ConsignmentInput = {
    source: d.kind === 'postal' ? 'postal-item' : 'carrier-waybill',
    externalRef: d.ref,
    transportDocument,
    seller: copyParty(d.seller),
    consignee: copyParty(d.consignee),
    category: d.category,
    items: d.items.map((i) => toItem(d, i)),
    totals: {
      declaredValue: { amount: formatMinor(totalDeclared), currency: d.currency },
      grossWeightGrams: grossGrams,
      transportIncludedInPrice: transportIncluded,
      ...(transportIncluded
        ? {}
        : { transport: { amount: formatMinor(shippingMinor), currency: d.currency } }),
    },
    dates: { accepted: iso(acceptedMs), departure: iso(departureMs), expectedArrival: iso(arrivalMs) },
    routing,
  };
  if (platform !== undefined) primary.platform = platform;
  if (ioss !== undefined) {
    primary.taxCollection = { scheme: 'IOSS', number: ioss };
    primary.additionalProcedureCodes = ['F48'];
  } else if (f49) {
    primary.additionalProcedureCodes = ['F49'];
  }
  if (d.kind === 'express') {
    primary.masterReference = rng.pick(ctx.mawbs);
    const declarant = rng.pick(EXPRESS_DECLARANTS);
    primary.declarant = { ...declarant, address: { ...declarant.address } };
    if (declarant.id !== undefined) primary.declarant.id = { ...declarant.id };
  }
  const records: FloodRecord[] = [{ input: primary, label: labelOf(d, docId, primary.source) }];
  if (!d.overlap || platform === undefined) return records;

  const orderItems = d.orderItems ?? d.items;
  const orderMinor = totalMinor(orderItems) + shippingMinor;
  const provider = rng.pick(PROVIDERS);
  const order: ConsignmentInput = {
    source: 'platform-order',
    externalRef: d.ref,
    transportDocument: { ...transportDocument },
    seller: copyParty(d.seller),
    consignee: copyParty(d.consignee),
    platform: { ...platform },
    payment: {
      reference: makePaymentRef(rng, provider),
      provider,
      amount: { amount: formatMinor(orderMinor), currency: d.currency },
      paidAt: iso(orderedMs + rng.range(0.01, 0.5) * HOUR),
    },
    category: 'sale',
    items: orderItems.map((i) => ({ ...toItem(d, i), sku: i.sku })),
    totals: {
      declaredValue: { amount: formatMinor(totalMinor(orderItems)), currency: d.currency },
      transportIncludedInPrice: transportIncluded,
      ...(transportIncluded
        ? {}
        : { transport: { amount: formatMinor(shippingMinor), currency: d.currency } }),
    },
    dates: { ordered: iso(orderedMs) },
    routing: { dispatchCountry: d.dispatch, destinationCountry: d.destination },
  };
  if (ioss !== undefined) order.taxCollection = { scheme: 'IOSS', number: ioss };
  records.push({ input: order, label: labelOf(d, docId, 'platform-order') });
  return records;
}

// Records never share objects, so a consumer that normalises one record in place cannot change another.
function copyParty(party: Party): Party {
  return { ...party, address: { ...party.address } };
}

function labelOf(d: Draft, parcel: string, source: FloodLabel['source']): FloodLabel {
  const label: FloodLabel = {
    ref: d.ref,
    parcel,
    source,
    violations: VIOLATION_TYPES.filter((v) => d.violations.has(v)),
  };
  if (d.splitGroup !== undefined) label.splitGroup = d.splitGroup;
  return label;
}
