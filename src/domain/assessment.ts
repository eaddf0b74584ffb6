/** The outcome of assess(): lane, risk explanation and line-by-line revenue. */
import { Type, type Static } from '@sinclair/typebox';
import { CurrencyCode, DecimalString, Money } from './consignment-schema.js';

export const Lane = Type.Union(
  [Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red'), Type.Literal('blue')],
  {
    description:
      'green = release, yellow = documents / request for information, red = physical or X-ray inspection, blue = release then post-release audit',
  },
);
export type Lane = Static<typeof Lane>;

export const SecurityOutcome = Type.Union(
  [Type.Literal('assessment-complete'), Type.Literal('referral'), Type.Literal('do-not-load')],
  { description: 'Safety and security track (ICS2-style), independent of the fiscal track' },
);
export type SecurityOutcome = Static<typeof SecurityOutcome>;

export const Decision = Type.Union(
  [
    Type.Literal('release'),
    Type.Literal('hold-for-information'),
    Type.Literal('inspect'),
    Type.Literal('do-not-load'),
  ],
  { description: 'What the submitter must do with the parcel' },
);
export type Decision = Static<typeof Decision>;

export const RiskHit = Type.Object({
  id: Type.String({ description: 'Rule or indicator id' }),
  version: Type.Integer(),
  kind: Type.Union([Type.Literal('rule'), Type.Literal('indicator'), Type.Literal('random')]),
  score: Type.Number({ description: 'Contribution to the risk score' }),
  lane: Type.Optional(Lane),
  security: Type.Optional(SecurityOutcome),
  reason: Type.String({ description: 'Plain-language reason' }),
  inputs: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type RiskHit = Static<typeof RiskHit>;

export const RiskAssessment = Type.Object({
  score: Type.Number({ minimum: 0, maximum: 100 }),
  lane: Lane,
  security: SecurityOutcome,
  hits: Type.Array(RiskHit),
  randomSelected: Type.Boolean(),
  ruleSetVersion: Type.String(),
  selection: Type.Optional(
    Type.Object(
      {
        reason: Type.Union(
          ['targeted', 'random', 'exploration', 'over-capacity', 'below-threshold', 'not-candidate'].map(
            (r) => Type.Literal(r),
          ),
        ),
        office: Type.String(),
        day: Type.String(),
        threshold: Type.Number({ description: 'Score a targeted inspection needed at that moment' }),
        scoreLane: Lane,
        documentary: Type.Optional(
          Type.Object(
            {
              reason: Type.Union(
                ['checked', 'direct', 'over-capacity', 'below-threshold', 'not-candidate'].map((r) =>
                  Type.Literal(r),
                ),
              ),
              threshold: Type.Number({ description: 'Score a documentary check needed at that moment' }),
            },
            {
              description:
                'Yellow-lane (documentary check) decision, when the office has a documentary capacity; score-driven yellow over capacity is released to blue',
            },
          ),
        ),
      },
      { description: 'Selection matched to inspection capacity, when the pipeline runs with a selector' },
    ),
  ),
});
export type RiskAssessment = Static<typeof RiskAssessment>;

export const TaxLine = Type.Object({
  type: Type.Union([
    Type.Literal('duty'),
    Type.Literal('vat'),
    Type.Literal('fee'),
    Type.Literal('excise'),
    Type.Literal('income-tax'),
  ]),
  itemIndex: Type.Optional(
    Type.Integer({ description: 'Item the line applies to; absent for consignment-level lines' }),
  ),
  base: DecimalString,
  rate: Type.String({ description: 'Rate as a decimal fraction ("0.20") or a specific amount description' }),
  amount: DecimalString,
  measure: Type.String({ description: 'Measure or legal basis applied' }),
  collectedBy: Type.Union([
    Type.Literal('border'),
    Type.Literal('vendor'),
    Type.Literal('intermediary'),
    Type.Literal('platform'),
    Type.Literal('none'),
  ]),
  explanation: Type.String(),
});
export type TaxLine = Static<typeof TaxLine>;

export const RevenueAssessment = Type.Object({
  jurisdiction: Type.String({ description: 'Jurisdiction profile id, e.g. EU-DE' }),
  currency: CurrencyCode,
  collectionModel: Type.Union([
    Type.Literal('border'),
    Type.Literal('vendor'),
    Type.Literal('intermediary'),
    Type.Literal('platform-withholding'),
  ]),
  intrinsicValue: DecimalString,
  customsValue: DecimalString,
  lines: Type.Array(TaxLine),
  dueAtBorder: DecimalString,
  prepaid: DecimalString,
  prepaidDeclared: Type.Optional({
    ...DecimalString,
    description:
      'The tax the seller or platform declared as paid at checkout (taxCollection.taxPaid), in this currency at the exchange rate of the tax point; set when a vendor scheme applies',
  }),
  total: DecimalString,
  fx: Type.Array(
    Type.Object({
      from: CurrencyCode,
      to: CurrencyCode,
      rate: Type.String(),
      source: Type.String(),
      date: Type.String(),
    }),
  ),
  notes: Type.Array(Type.String()),
  versions: Type.Record(Type.String(), Type.String()),
  history: Type.Optional(
    Type.Object(
      { personDayTotal: Type.Optional(Money), personYearToDate: Type.Optional(Money) },
      {
        description:
          "The consignee's earlier imports the per-person limits counted (same day, calendar year to date), from the revenue ledger; a replay uses them again",
      },
    ),
  ),
  taxPoint: Type.Optional(
    Type.Object(
      {
        date: Type.String({
          description: 'YYYY-MM-DD: the date rules, rates and exchange rates were read on',
        }),
        basis: Type.Union(
          [Type.Literal('lodged'), Type.Literal('expected-arrival'), Type.Literal('arrival')],
          {
            description:
              "'lodged': the date the data was lodged (no expected arrival, or one before that date); 'expected-arrival': the declared expected arrival (an estimate until the parcel arrives); 'arrival': the reported arrival (or the lodging date when later)",
          },
        ),
        lodged: Type.String({
          description: 'YYYY-MM-DD the consignment was first received: the tax point is never earlier',
        }),
      },
      {
        description:
          'The tax point: the later of the date the data was lodged and the arrival (expected, then actual); see docs/revenue.md',
      },
    ),
  ),
});
export type RevenueAssessment = Static<typeof RevenueAssessment>;

export const PaymentTerms = Type.Object(
  {
    mode: Type.Literal('deferred'),
    account: Type.String({ description: 'Operator whose deferred-payment account is debited' }),
    level: Type.String({ description: 'The status that grants deferred payment (e.g. AEOC)' }),
    statusId: Type.String(),
  },
  {
    description:
      "What is due at the border is booked to the submitter's periodic (deferred-payment) account instead of being payable per consignment before release (docs/operators.md)",
  },
);
export type PaymentTerms = Static<typeof PaymentTerms>;

export const PaymentFallback = Type.Object(
  {
    account: Type.String({ description: 'Operator whose deferred-payment account would have been debited' }),
    code: Type.Union([
      Type.Literal('guarantee-exceeded'),
      Type.Literal('no-guarantee'),
      Type.Literal('status-not-in-force'),
    ]),
    reason: Type.String({ description: 'Plain-language reason shown in the customs response' }),
    amount: DecimalString,
    currency: Type.String(),
    guarantee: Type.Optional(DecimalString),
    utilised: Type.Optional(DecimalString),
  },
  {
    description:
      "Deferred payment was granted by status but the account's guarantee does not cover this parcel, or (`status-not-in-force`) the status that granted it no longer did when the parcel was released: it is payable per consignment at the border (docs/operators.md)",
  },
);
export type PaymentFallback = Static<typeof PaymentFallback>;

export const Assessment = Type.Object({
  decision: Decision,
  risk: RiskAssessment,
  revenue: RevenueAssessment,
  payment: Type.Optional(PaymentTerms),
  paymentFallback: Type.Optional(PaymentFallback),
  assessedAt: Type.String({ format: 'date-time' }),
  snapshotVersion: Type.String(),
});
export type Assessment = Static<typeof Assessment>;
