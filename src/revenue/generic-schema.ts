/**
 * The generic jurisdiction profile format (engine "generic"): every low-value regime as data.
 * A profile lists effective-dated regimes; each regime selects the value basis, duty and tax
 * thresholds, VAT/GST base, collection schemes, reliefs, minimum-collection rules and (China) the
 * cross-border retail rule. Field meanings and sources: docs/rules/<code>.md.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Amount = Type.String({ pattern: '^\\d{1,12}(\\.\\d{1,6})?$', description: 'Exact decimal' });
const Fraction = Type.String({ pattern: '^0(\\.\\d{1,6})?$|^1(\\.0+)?$', description: 'Rate, e.g. "0.1"' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$' });
const Country = Type.String({ pattern: '^[A-Z]{2}$' });

const provenance = {
  verified: Type.Boolean({ description: 'true = [V] in REFERENCE.md; false = [P] or [U]' }),
  source: Type.String({ minLength: 1 }),
  note: Type.Optional(Type.String()),
};
const strict = <T extends Record<string, TSchema>>(props: T) =>
  Type.Object(props, { additionalProperties: false });
const dated = <T extends Record<string, TSchema>>(props: T) =>
  strict({ from: IsoDate, to: Type.Optional(IsoDate), ...props, ...provenance });

/** Transport channel of a consignment: postal (UPU S10 item) or courier/express. */
export const Channel = Type.Union([Type.Literal('postal'), Type.Literal('courier')]);
export type Channel = Static<typeof Channel>;

/** When a rule applies; every given field must hold (absent fields always hold). */
export const Condition = strict({
  channel: Type.Optional(Channel),
  dispatchCountries: Type.Optional(Type.Array(Country)),
  /** The rule does not apply when any item's HS code starts with one of these prefixes. */
  excludeHsPrefixes: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{2,10}$' }))),
  /** The rule applies only when every item has an HS code starting with one of these prefixes. */
  hsPrefixes: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{2,10}$' }))),
  personalUse: Type.Optional(Type.Boolean()),
  vendorCollected: Type.Optional(Type.Boolean()),
  category: Type.Optional(Type.Array(Type.String())),
});
export type Condition = Static<typeof Condition>;

/** Which value a threshold is compared with. */
export const ValueBasis = Type.Union([
  Type.Literal('intrinsic'),
  Type.Literal('fob'),
  Type.Literal('cif'),
  Type.Literal('customs-value'),
]);
export type ValueBasis = Static<typeof ValueBasis>;

/**
 * Over what the compared value is summed; person-day and person-year add the given history. `item`
 * tests each declared line (all its units); `unit` tests each line's value per unit (value / quantity),
 * where a limit holds per article (NO VOEC: each item below NOK 3,000).
 */
export const Aggregation = Type.Union([
  Type.Literal('item'),
  Type.Literal('unit'),
  Type.Literal('consignment'),
  Type.Literal('person-day'),
  Type.Literal('person-year'),
]);
export type Aggregation = Static<typeof Aggregation>;

/** A value threshold: first entry whose `when` holds is used. */
export const GenericThreshold = strict({
  amount: Amount,
  currency: Type.Optional(Currency),
  comparison: Type.Union([Type.Literal('lte'), Type.Literal('lt')]),
  basis: ValueBasis,
  aggregation: Aggregation,
  when: Type.Optional(Condition),
  /** The legal measure named in the assessment when the threshold relieves (e.g. EU Art. 23 relief). */
  measure: Type.Optional(Type.String()),
  ...provenance,
});
export type GenericThreshold = Static<typeof GenericThreshold>;

/** Which parts of the value are in the VAT/GST base at import. */
export const VatBase = strict({
  transport: Type.Boolean(),
  insurance: Type.Boolean(),
  duty: Type.Boolean(),
  excise: Type.Boolean(),
});
export type VatBase = Static<typeof VatBase>;

/** A vendor/platform scheme: a valid number and a value within the ceiling mean tax paid at sale. */
export const GenericScheme = dated({
  scheme: Type.String({ description: 'TaxCollection.scheme, e.g. ABN' }),
  numberPattern: Type.String(),
  ceiling: Type.Optional(GenericThreshold),
  measure: Type.String(),
  /** Customs duty relieved for consignments accepted under the scheme (Norway VOEC). */
  dutyRelief: Type.Optional(Type.Boolean()),
});
export type GenericScheme = Static<typeof GenericScheme>;

/** An intermediary scheme (EU special arrangements): the presenter collects VAT, chosen by procedure code. */
export const IntermediaryScheme = dated({
  procedureCode: Type.String({ description: 'Additional procedure code, e.g. F49' }),
  ceiling: GenericThreshold,
  measure: Type.String(),
  standardRateOnly: Type.Optional(
    Type.Boolean({
      description:
        "The tax is charged at the destination's standard rate only, whatever a tariff line's own VAT rate (EU special arrangements)",
    }),
  ),
});
export type IntermediaryScheme = Static<typeof IntermediaryScheme>;

/** A flat duty per distinct 6-digit tariff subheading for low-value consignments (EU 2026-2028). */
export const FlatDuty = strict({
  amount: Amount,
  threshold: GenericThreshold,
  scope: Type.Union([Type.Literal('all-low-value'), Type.Literal('ioss-only')]),
  scopeVerified: Type.Boolean(),
  measure: Type.String(),
  ...provenance,
});
export type FlatDuty = Static<typeof FlatDuty>;

/** A fee collected at the border (per consignment, item or subheading); unconfirmed fees ship disabled. */
export const Fee = dated({
  id: Type.String(),
  countries: Type.Optional(Type.Array(Country)),
  amount: Amount,
  per: Type.Union([Type.Literal('consignment'), Type.Literal('item'), Type.Literal('subheading')]),
  lowValueOnly: Type.Optional(GenericThreshold),
  enabled: Type.Boolean({ description: 'Only enabled fees are charged' }),
  measure: Type.String(),
});
export type Fee = Static<typeof Fee>;

/** A relief (e.g. UK gifts between individuals): taxes not charged when the condition and threshold hold. */
export const Relief = dated({
  id: Type.String(),
  taxes: Type.Array(Type.Union([Type.Literal('duty'), Type.Literal('vat')])),
  when: Condition,
  threshold: GenericThreshold,
  measure: Type.String(),
});
export type Relief = Static<typeof Relief>;

/** Taxes whose border total at or below (lte) or under (lt) the amount are not collected. */
export const MinimumCollection = dated({
  taxes: Type.Array(Type.Union([Type.Literal('duty'), Type.Literal('vat'), Type.Literal('excise')])),
  amount: Amount,
  comparison: Type.Union([Type.Literal('lte'), Type.Literal('lt')]),
  measure: Type.String(),
});
export type MinimumCollection = Static<typeof MinimumCollection>;

/** A dated list of the goods (HS prefixes) that may be imported through the cross-border retail channel. */
export const PositiveList = dated({
  name: Type.String({ minLength: 1 }),
  hsPrefixes: Type.Array(Type.String({ pattern: '^\\d{2,10}$' }), { minItems: 1 }),
});
export type PositiveList = Static<typeof PositiveList>;

/** China cross-border e-commerce retail import: per-order and per-year limits and the reduced rate. */
export const CrossBorderRetail = strict({
  perOrder: GenericThreshold,
  perYear: GenericThreshold,
  dutyRate: Fraction,
  taxFactor: Fraction,
  measure: Type.String(),
  when: Type.Optional(Condition),
  /** Goods lists by date: an order with an item on no list in force cannot use the channel. */
  positiveList: Type.Optional(Type.Array(PositiveList)),
  /**
   * A single indivisible item over the per-order limit (within the annual one): `cbec-full` (the
   * default; China since 2019) goes through the channel with full duty, VAT and consumption tax,
   * withheld by the platform and counted toward the annual limit; `general-trade` (China 2016-2019) is
   * taxed in full as general trade at the border and does not count.
   */
  singleItemOverOrderLimit: Type.Optional(
    Type.Union([Type.Literal('cbec-full'), Type.Literal('general-trade')]),
  ),
  ...provenance,
});
export type CrossBorderRetail = Static<typeof CrossBorderRetail>;

/** US postal duty: the carrier may elect a specific amount per item instead of the ad valorem measure. */
export const PostalSpecificOption = dated({
  replacesMeasure: Type.String({ description: 'Additional measure id the specific amount replaces' }),
  amounts: Type.Array(strict({ origins: Type.Array(Country), amount: Amount })),
  defaultAmount: Amount,
  measure: Type.String(),
});
export type PostalSpecificOption = Static<typeof PostalSpecificOption>;

/** Income tax prepaid at import (Indonesia PPh): on the import value (the VAT base) when duty is due. */
export const ImportIncomeTax = dated({
  rate: Fraction,
  /** Rate when the consignee shows no taxpayer id (TIN). */
  rateWithoutTin: Fraction,
  /** Only items whose HS code starts with one of these, each on its own import value (ID: MFN-list goods). */
  hsPrefixes: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{2,10}$' }))),
  measure: Type.String(),
});
export type ImportIncomeTax = Static<typeof ImportIncomeTax>;

/** One effective-dated regime of a jurisdiction. */
export const Regime = dated({
  customsValue: Type.Union([Type.Literal('fob'), Type.Literal('cif')]),
  /**
   * The ceiling of the regime's scope (ID: e-commerce consignments up to US$1,500 FOB): a consignment
   * over it (when its `when` holds) is outside the regime and needs a regular import declaration, whose
   * duty and tax are not in the data, so it is not assessed (`revenue.no-regime`; the pipeline holds it
   * for an officer). `measure` names the limit in the note.
   */
  scopeCeiling: Type.Optional(GenericThreshold),
  /** Taxable value = goods x factor when the condition holds (Japan personal imports: 0.6). */
  retailFactor: Type.Optional(strict({ factor: Fraction, when: Condition, ...provenance })),
  dutyThresholds: Type.Array(GenericThreshold),
  taxThresholds: Type.Array(GenericThreshold),
  /** Why tax below the tax threshold is not collected at the border (shown in the VAT line). */
  belowTaxThreshold: Type.String(),
  vatBase: VatBase,
  schemes: Type.Array(GenericScheme),
  intermediary: Type.Optional(Type.Array(IntermediaryScheme)),
  flatDuty: Type.Optional(FlatDuty),
  reliefs: Type.Array(Relief),
  minimumCollection: Type.Array(MinimumCollection),
  crossBorderRetail: Type.Optional(CrossBorderRetail),
  postalSpecific: Type.Optional(PostalSpecificOption),
  incomeTax: Type.Optional(ImportIncomeTax),
  /** Notes attached to every assessment in the regime (e.g. US: entry required). */
  notes: Type.Array(Type.String()),
});
export type Regime = Static<typeof Regime>;

/** Who may claim back tax paid at the border on a returned or refused parcel, for which taxes, until when. */
export const RefundRule = dated({
  claimant: Type.String({ minLength: 1 }),
  /** Line types repaid on a claim; other border lines are not repaid. */
  refundable: Type.Array(
    Type.Union([
      Type.Literal('duty'),
      Type.Literal('vat'),
      Type.Literal('excise'),
      Type.Literal('fee'),
      Type.Literal('income-tax'),
    ]),
  ),
  /** Days after release within which the claim must be made (the return's date is compared). */
  timeLimitDays: Type.Integer({ minimum: 1 }),
  conditions: Type.String(),
});
export type RefundRule = Static<typeof RefundRule>;

/** A generic jurisdiction profile file. */
export const GenericProfile = strict({
  id: Type.String(),
  version: Type.String(),
  name: Type.String(),
  engine: Type.Literal('generic'),
  jurisdiction: Type.String({ description: 'Jurisdiction id in assessments, e.g. AU' }),
  /** When set, the jurisdiction id is prefix + destination country (EU-DE). */
  jurisdictionPrefix: Type.Optional(Type.String()),
  currency: Currency,
  countries: Type.Array(Country, { minItems: 1 }),
  tariff: Type.String({ description: 'Tariff schedule file in data/jurisdictions' }),
  taxName: Type.String({ description: 'VAT, GST, ...' }),
  taxRates: Type.Array(dated({ rate: Fraction })),
  /** Per-country standard rates from a dated rate file (EU member states); replaces taxRates. */
  countryTaxRates: Type.Optional(
    strict({
      kind: Type.Literal('ibericode'),
      file: Type.String(),
      version: Type.String(),
      /** Historical rates for the dates before the table's first dated period (its open start). */
      before: Type.Optional(
        strict({
          kind: Type.Literal('kdeldycke'),
          file: Type.String(),
          version: Type.String(),
          ...provenance,
        }),
      ),
      ...provenance,
    }),
  ),
  /** Border fees, each effective-dated. */
  fees: Type.Optional(Type.Array(Fee)),
  rounding: strict({
    places: Type.Integer({ minimum: 0, maximum: 4 }),
    mode: Type.Literal('half-up'),
    ...provenance,
  }),
  fx: strict({
    provider: Type.String(),
    dateRule: Type.Union([
      Type.Literal('relevant-date'),
      Type.Literal('month-start'),
      Type.Literal('previous-day'),
    ]),
    resultPlaces: Type.Integer({ minimum: 0, maximum: 6 }),
    /** The legally prescribed rate source and date rule; `provider`/`dateRule` above are the stand-in. */
    prescribed: Type.Optional(
      strict({
        feed: Type.String({ minLength: 1, pattern: '^[a-z0-9][a-z0-9-]*$' }),
        dateRule: Type.Union([
          Type.Literal('relevant-date'),
          Type.Literal('month-start'),
          Type.Literal('previous-day'),
          Type.Literal('penultimate-wednesday-previous-month'),
        ]),
        ...provenance,
      }),
    ),
    ...provenance,
  }),
  regimes: Type.Array(Regime, { minItems: 1 }),
  /** Refund rules for returned, refused or undelivered parcels, by date of the return. */
  refunds: Type.Optional(Type.Array(RefundRule)),
});
export type GenericProfile = Static<typeof GenericProfile>;
