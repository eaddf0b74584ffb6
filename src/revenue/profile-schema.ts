/**
 * The jurisdiction profile format (data/jurisdictions/*.json), written once as TypeBox schemas.
 * Every rule is effective-dated (`from` inclusive, `to` exclusive, ISO dates) and carries its
 * provenance: `verified` mirrors REFERENCE.md's [V] (true) versus [P]/[U] (false), `source` cites it.
 * See docs/rules/eu.md for how the EU profile uses each field.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Calendar date YYYY-MM-DD' });
const Amount = Type.String({
  pattern: '^\\d{1,12}(\\.\\d{1,6})?$',
  description: 'Exact decimal, e.g. "150"',
});
const Fraction = Type.String({ pattern: '^0(\\.\\d{1,6})?$|^1(\\.0+)?$', description: 'Rate, e.g. "0.12"' });

const provenance = {
  verified: Type.Boolean({ description: 'true = [V] in REFERENCE.md; false = [P] or [U]' }),
  source: Type.String({ minLength: 1, description: 'Where the rule comes from' }),
  note: Type.Optional(Type.String()),
};
const period = { from: IsoDate, to: Type.Optional(IsoDate) };
const dated = <T extends Record<string, TSchema>>(props: T) =>
  Type.Object({ ...period, ...props, ...provenance }, { additionalProperties: false });

/** How a value is compared with a threshold: lte = "not exceeding", lt = "below". */
export const Comparison = Type.Union([Type.Literal('lte'), Type.Literal('lt')]);
export type Comparison = Static<typeof Comparison>;

/** A value threshold in the profile currency. */
export const Threshold = Type.Object(
  { amount: Amount, comparison: Comparison, basis: Type.Literal('intrinsic') },
  { additionalProperties: false },
);
export type Threshold = Static<typeof Threshold>;

const Valuation = Type.Object(
  {
    thresholdBasis: Type.Union([Type.Literal('intrinsic'), Type.Literal('customs-value')]),
    aggregation: Type.Union([Type.Literal('consignment'), Type.Literal('item')]),
    dutyBasis: Type.Union([Type.Literal('cif'), Type.Literal('fob')]),
    taxBasis: Type.Union([Type.Literal('cif-plus-duty'), Type.Literal('fob-plus-duty')]),
    ...provenance,
  },
  { additionalProperties: false },
);

const Rounding = Type.Object(
  {
    places: Type.Integer({ minimum: 0, maximum: 4 }),
    mode: Type.Literal('half-up'),
    per: Type.Literal('line'),
    ...provenance,
  },
  { additionalProperties: false },
);

const FxPolicy = Type.Object(
  {
    provider: Type.String({ description: 'Default provider id, e.g. hmrc-monthly' }),
    dateRule: Type.Literal('relevant-date'),
    resultPlaces: Type.Integer({ minimum: 0, maximum: 6, description: 'Converted values rounded to this' }),
    ...provenance,
  },
  { additionalProperties: false },
);

const TaxRateSource = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('ibericode'),
      file: Type.String(),
      version: Type.String(),
      rateKey: Type.Literal('standard'),
      ...provenance,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('inline'),
      version: Type.String(),
      periods: Type.Array(dated({ country: Type.String(), rate: Fraction })),
      ...provenance,
    },
    { additionalProperties: false },
  ),
]);
export type TaxRateSource = Static<typeof TaxRateSource>;

/** What happens to duty on a low-value consignment during a regime period. */
export const LowValueDuty = Type.Union([
  Type.Object(
    { kind: Type.Literal('relief'), measure: Type.String(), threshold: Threshold },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('flat-per-subheading'),
      amount: Amount,
      measure: Type.String(),
      threshold: Threshold,
      scope: Type.Union([Type.Literal('all-low-value'), Type.Literal('ioss-only')]),
      scopeVerified: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('tariff') }, { additionalProperties: false }),
]);
export type LowValueDuty = Static<typeof LowValueDuty>;

const DutyRegime = dated({ lowValue: LowValueDuty });
export type DutyRegime = Static<typeof DutyRegime>;

const VendorScheme = dated({
  scheme: Type.String({ description: 'TaxCollection.scheme value, e.g. IOSS' }),
  numberPattern: Type.String({ description: 'Regular expression the scheme number must match' }),
  threshold: Threshold,
  rateKey: Type.Literal('standard'),
  measure: Type.String(),
});
export type VendorScheme = Static<typeof VendorScheme>;

const IntermediaryScheme = dated({
  procedureCode: Type.String({ description: 'Additional procedure code, e.g. F49' }),
  threshold: Threshold,
  rateKey: Type.Literal('standard'),
  measure: Type.String(),
});
export type IntermediaryScheme = Static<typeof IntermediaryScheme>;

const Fee = dated({
  id: Type.String(),
  countries: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }))),
  amount: Amount,
  per: Type.Union([Type.Literal('consignment'), Type.Literal('item'), Type.Literal('subheading')]),
  lowValueOnly: Type.Optional(Threshold),
  enabled: Type.Boolean({ description: 'Only enabled fees are charged; unconfirmed fees ship disabled' }),
  measure: Type.String(),
});
export type Fee = Static<typeof Fee>;

/** A jurisdiction profile file. */
export const JurisdictionProfile = Type.Object(
  {
    id: Type.String({ description: 'Profile id, e.g. eu' }),
    version: Type.String({ description: 'Replay key, e.g. eu@2026-07-01' }),
    name: Type.String(),
    engine: Type.Literal('eu-vat-package', { description: 'Which rule engine interprets the profile' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    jurisdictionPrefix: Type.String({ description: 'Prefix for the jurisdiction id, e.g. EU-' }),
    countries: Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), { minItems: 1 }),
    valuation: Valuation,
    rounding: Rounding,
    fx: FxPolicy,
    taxRates: TaxRateSource,
    duty: Type.Object(
      {
        tariff: Type.String({ description: 'Tariff file in data/jurisdictions' }),
        regimes: Type.Array(DutyRegime),
      },
      { additionalProperties: false },
    ),
    collection: Type.Object(
      { vendor: Type.Array(VendorScheme), intermediary: Type.Array(IntermediaryScheme) },
      { additionalProperties: false },
    ),
    fees: Type.Array(Fee),
  },
  { additionalProperties: false },
);
export type JurisdictionProfile = Static<typeof JurisdictionProfile>;

/** One tariff line of a tariff file: an HS prefix and its ad valorem rate. */
export const TariffEntry = Type.Object(
  {
    prefix: Type.String({ pattern: '^\\d{2,10}$' }),
    rate: Fraction,
    description: Type.String(),
    ...provenance,
  },
  { additionalProperties: false },
);
export type TariffEntry = Static<typeof TariffEntry>;

/** A tariff file (data/jurisdictions/*-tariff-*.json). */
export const TariffFile = Type.Object(
  {
    version: Type.String(),
    currency: Type.String(),
    description: Type.String(),
    defaultRate: Type.Object({ rate: Fraction, ...provenance }, { additionalProperties: false }),
    entries: Type.Array(TariffEntry),
  },
  { additionalProperties: false },
);
export type TariffFile = Static<typeof TariffFile>;
