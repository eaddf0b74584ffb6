/** A parcel being generated: the internal draft from which source records are rendered. */
import type { Category, Party } from '../domain/index.js';
import { CATALOGUE, COLOURS, type ProductTemplate, type TemplateUnit } from './catalogue.js';
import { EU27_WEIGHTS } from './locales.js';
import { makeConsignee, ORIGIN_WEIGHTS, SellerPool, type Seller } from './parties.js';
import { Prng, WeightedTable } from './prng.js';
import { BRANDED_PRODUCTS, type BrandedProduct } from './special-goods.js';
import type { ViolationType } from './types.js';

/** One item line of a draft; values are integer minor units of the parcel currency. */
export interface DraftItem {
  description: string;
  hs: string | undefined;
  quantity: number;
  unit: TemplateUnit;
  grams: number;
  unitMinor: number;
  origin: string;
  brand?: string;
  sku: string;
}

/** A parcel before it is rendered into one or two source records. */
export interface Draft {
  ref: string;
  kind: 'postal' | 'express';
  origin: string;
  dispatch: string;
  destination: string;
  currency: string;
  /** Units of `currency` per EUR. */
  fxPerEur: number;
  seller: Party;
  sellerId: string | undefined;
  platform: string | undefined;
  consignee: Party;
  category: Category;
  items: DraftItem[];
  /** The platform's view of the items when it disagrees with the declaration. */
  orderItems: DraftItem[] | undefined;
  overlap: boolean;
  violations: Set<ViolationType>;
  splitGroup: string | undefined;
}

// Plausible units per EUR for sellers that price in their own currency (not official rates).
const FX: Readonly<Record<string, number>> = { EUR: 1, USD: 1.08, GBP: 0.85, CNY: 7.8 };
const SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];

/** Everything a flood draws from that is built once per seed. */
export class DraftFactory {
  readonly pool: SellerPool;
  private readonly origins = new WeightedTable(ORIGIN_WEIGHTS);
  private readonly destinations: WeightedTable<string>;
  private readonly templates = new WeightedTable(CATALOGUE.map((t) => [t, t.popularity] as const));
  private readonly branded = new WeightedTable(
    BRANDED_PRODUCTS.map((b) => [b, b.genuineEur > 1000 ? 0.15 : 1] as const),
  );
  private readonly allowed: ReadonlySet<string> | undefined;
  private readonly groups = new Map<readonly ProductTemplate[], WeightedTable<ProductTemplate>>();
  private readonly itemCounts = new WeightedTable([
    [1, 70],
    [2, 18],
    [3, 8],
    [4, 4],
  ] as const);

  constructor(
    readonly rng: Prng,
    destinations: readonly string[] | undefined,
  ) {
    this.pool = new SellerPool(rng);
    this.allowed = destinations === undefined ? undefined : new Set(destinations);
    const weights = new Map(EU27_WEIGHTS);
    this.destinations = new WeightedTable(
      destinations === undefined ? EU27_WEIGHTS : destinations.map((c) => [c, weights.get(c) ?? 1] as const),
    );
  }

  /** True when parcels may go to `country` under this flood's destinations option. */
  allowsDestination(country: string): boolean {
    return this.allowed === undefined || this.allowed.has(country);
  }

  /** A clean parcel: a marketplace order of one to four items, or (rarely) a private gift of one item at its value. */
  base(ref: string, opts: { privateAllowed?: boolean; origin?: string } = {}): Draft {
    const rng = this.rng;
    const origin = opts.origin ?? this.origins.draw(rng);
    const seller = this.pool.draw(rng, origin);
    const privateGift = origin !== 'CN' && opts.privateAllowed !== false && rng.chance(0.2);
    const destination = this.destinations.draw(rng);
    const draft: Draft = {
      ref,
      kind: rng.chance(origin === 'CN' ? 0.55 : 0.6) ? 'postal' : 'express',
      origin,
      dispatch: origin === 'CN' && rng.chance(0.03) ? 'HK' : origin,
      destination,
      currency: 'EUR',
      fxPerEur: 1,
      seller: privateGift ? this.privateSender(seller) : seller.party,
      sellerId: privateGift ? undefined : seller.sellerId,
      platform: privateGift ? undefined : seller.platform,
      consignee: makeConsignee(rng, destination),
      category: privateGift ? 'gift' : 'sale',
      items: [],
      orderItems: undefined,
      overlap: false,
      violations: new Set(),
      splitGroup: undefined,
    };
    if (!privateGift && rng.chance(0.1)) this.setCurrency(draft);
    const n = privateGift ? 1 : this.itemCounts.draw(rng);
    for (let i = 0; i < n; i++) draft.items.push(this.catalogueItem(draft));
    // A private sender writes the value of the gift on the CN22/CN23 in whole units: what it is worth,
    // whatever the gift relief (a gift above it pays duty and VAT like any other parcel).
    if (privateGift) for (const item of draft.items) item.unitMinor = wholeUnits(item.unitMinor);
    return draft;
  }

  /** Switches the draft to a seller currency other than EUR (USD, GBP or CNY). */
  setCurrency(draft: Draft): void {
    const rng = this.rng;
    const currency =
      draft.origin === 'GB' ? 'GBP' : draft.origin === 'CN' ? (rng.chance(0.6) ? 'USD' : 'CNY') : 'USD';
    draft.currency = currency;
    draft.fxPerEur = FX[currency] ?? 1;
  }

  /** An item from the everyday catalogue (or a genuine protected-brand product from non-Chinese sellers). */
  catalogueItem(draft: Draft, template?: ProductTemplate): DraftItem {
    const rng = this.rng;
    if (template === undefined && draft.origin !== 'CN' && draft.platform !== undefined && rng.chance(0.12)) {
      return this.brandedItem(draft, this.branded.draw(rng), false);
    }
    const t = template ?? this.templates.draw(rng);
    const quantity = t.medianEur < 30 && rng.chance(0.12) ? rng.int(2, 3) : 1;
    return {
      description: this.describe(t),
      hs: t.hs,
      quantity,
      unit: t.unit,
      grams: rng.int(t.grams[0], t.grams[1]) * quantity,
      unitMinor: this.priceMinor(draft, rng.logNormal(t.medianEur, t.sigma)),
      origin: t.madeIn ?? (draft.origin === 'HK' ? 'CN' : draft.origin),
      ...(t.brands !== undefined && rng.chance(0.5) ? { brand: rng.pick(t.brands) } : {}),
      sku: `${t.key.toUpperCase()}-${rng.digits(6)}`,
    };
  }

  /** A protected-brand product: genuine at its retail price, or a fake far below it. */
  brandedItem(draft: Draft, product: BrandedProduct, fake: boolean): DraftItem {
    const rng = this.rng;
    const eur = fake
      ? Math.min(rng.logNormal(product.fakeEur, 0.3), product.genuineEur * 0.25)
      : product.genuineEur * rng.logNormal(1, 0.06);
    return {
      description: product.description,
      hs: product.hs,
      quantity: 1,
      unit: product.unit,
      grams: rng.int(product.grams[0], product.grams[1]),
      unitMinor: this.priceMinor(draft, eur),
      origin: fake ? 'CN' : product.madeIn,
      ...(rng.chance(0.7) ? { brand: product.brand } : {}),
      sku: `${product.brand.replace(/[^A-Za-z]/g, '').toUpperCase()}-${rng.digits(6)}`,
    };
  }

  /** Converts a EUR price into the draft currency's minor units; a third of prices end in .99. */
  priceMinor(draft: Draft, eur: number): number {
    const minor = Math.max(50, Math.round(eur * draft.fxPerEur * 100));
    return minor > 300 && this.rng.chance(0.33) ? minor - (minor % 100) - 1 : minor;
  }

  /** A specific marketplace-style description from a template. */
  describe(t: ProductTemplate): string {
    const rng = this.rng;
    return rng.pick(t.patterns).replace(/\{([cmszv])\}/g, (_, key: string) => {
      switch (key) {
        case 'c':
          return rng.pick(COLOURS);
        case 'm':
          return rng.pick(t.materials ?? ['polyester']);
        case 's':
          return rng.pick(SIZES);
        case 'z':
          return String(rng.int(36, 46));
        default:
          return rng.pick(t.variants ?? ['standard']);
      }
    });
  }

  /**
   * One of the templates in `group`, drawn with its share of marketplace orders like any parcel's goods:
   * a violation falls on a product about as often as the product is traded, so a rarely sold product
   * (brake discs) is not undervalued as often as a common one (jackets) and its declarations stay mostly
   * honest. `group` must be the same array on every call (its weighted table is built once).
   */
  drawTemplate(group: readonly ProductTemplate[]): ProductTemplate {
    let table = this.groups.get(group);
    if (table === undefined) {
      table = new WeightedTable(group.map((t) => [t, t.popularity] as const));
      this.groups.set(group, table);
    }
    return table.draw(this.rng);
  }

  private privateSender(seller: Seller): Party {
    const first = ['Emily', 'Michael', 'Sarah', 'David', 'Ayşe', 'Mehmet', 'Priya', 'Min-jun', 'Yuki'];
    const last = ['Johnson', 'Williams', 'Yılmaz', 'Demir', 'Sharma', 'Kim', 'Tanaka', 'Nguyen'];
    const rng = this.rng;
    return {
      name: `${rng.pick(first)} ${rng.pick(last)}`,
      address: {
        ...seller.party.address,
        street: `${rng.int(1, 300)} ${rng.pick(['Oak Street', 'Hill Road', 'Cedar Lane'])}`,
      },
    };
  }
}

/** Minor units rounded to whole currency units (at least one). */
export function wholeUnits(minor: number): number {
  return Math.max(100, Math.round(minor / 100) * 100);
}

/** Total value of items in minor units. */
export function totalMinor(items: readonly DraftItem[]): number {
  let sum = 0;
  for (const item of items) sum += item.unitMinor * item.quantity;
  return sum;
}

/** Total value of a draft's declared items in euro cents (through the draft's FX rate). */
export function totalEurCents(draft: Draft): number {
  return Math.round(totalMinor(draft.items) / draft.fxPerEur);
}

/** Renders integer minor units as an exact decimal string with two places. */
export function formatMinor(minor: number): string {
  const whole = Math.floor(minor / 100);
  const cents = minor % 100;
  return `${whole}.${cents < 10 ? '0' : ''}${cents}`;
}
