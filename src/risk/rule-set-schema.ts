/** The shape of a rule-set file (JSON), as a TypeBox schema: types, validation and docs from one place. */
import { Type, type Static } from '@sinclair/typebox';

const LaneOut = Type.Union([Type.Literal('red'), Type.Literal('yellow'), Type.Literal('blue')]);
const SecurityOut = Type.Union([Type.Literal('do-not-load'), Type.Literal('referral')]);

/** One targeting rule as an analyst writes it. */
export const RuleSpec = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' }),
    version: Type.Integer({ minimum: 1 }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    author: Type.String({ minLength: 1, maxLength: 100 }),
    effectiveFrom: Type.String({ description: 'YYYY-MM-DD (start of day, UTC) or RFC 3339 timestamp' }),
    effectiveTo: Type.Optional(
      Type.String({ description: 'YYYY-MM-DD (inclusive, to end of day UTC) or RFC 3339' }),
    ),
    when: Type.String({ minLength: 1, maxLength: 4000, description: 'Rule-language expression' }),
    weight: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    lane: Type.Optional(LaneOut),
    security: Type.Optional(SecurityOut),
    reason: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'Plain reason; {expr} placeholders are filled in',
    }),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type RuleSpec = Static<typeof RuleSpec>;

const IndicatorSetting = Type.Object(
  {
    threshold: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'Score at or above which a hit is recorded',
    }),
    weight: Type.Integer({
      minimum: -100,
      maximum: 100,
      description:
        'Contribution = round(weight x score); negative for indicators that lower risk (operator trust)',
    }),
  },
  { additionalProperties: false },
);

/** A whole rule-set file. */
export const RuleSetSpec = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' }),
    version: Type.Integer({ minimum: 1 }),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    thresholds: Type.Object(
      {
        red: Type.Number({ minimum: 0, maximum: 100 }),
        yellow: Type.Number({ minimum: 0, maximum: 100 }),
        blue: Type.Number({ minimum: 0, maximum: 100 }),
      },
      { additionalProperties: false, description: 'Minimum score for each lane' },
    ),
    indicators: Type.Optional(Type.Record(Type.String(), IndicatorSetting)),
    brands: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 60 }),
            floorEur: Type.String({ pattern: '^\\d{1,9}(\\.\\d{1,2})?$' }),
            aliases: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }))),
            nameInDescription: Type.Optional(Type.Boolean()),
            products: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    names: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 1 }),
                    floorEur: Type.String({ pattern: '^\\d{1,9}(\\.\\d{1,2})?$' }),
                  },
                  {
                    additionalProperties: false,
                    description: 'A product line of the brand with its own floor (e.g. iPhone)',
                  },
                ),
              ),
            ),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    rules: Type.Array(RuleSpec),
  },
  { additionalProperties: false },
);
export type RuleSetSpec = Static<typeof RuleSetSpec>;
