/**
 * Tariff schedules as data: ad valorem, specific (per unit, per kg net or gross), compound,
 * minimum and maximum duties by HS prefix (most specific wins), origin preferences, and
 * additional effective-dated measures (surcharges). Used by the generic engine.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { constant, plain, rate, times, ZERO, type Amount } from './money.js';
import { isActive } from './periods.js';

const Amount = Type.String({ pattern: '^\\d{1,12}(\\.\\d{1,6})?$' });
const Rate = Type.String({ pattern: '^\\d{1,2}(\\.\\d{1,6})?$', description: 'Fraction, e.g. "0.05"' });
const Country = Type.String({ pattern: '^[A-Z]{2}$' });
const provenance = {
  verified: Type.Boolean(),
  source: Type.String({ minLength: 1 }),
  note: Type.Optional(Type.String()),
};
const strict = <T extends Record<string, TSchema>>(props: T) =>
  Type.Object(props, { additionalProperties: false });

/** A specific duty: an amount per unit, per kg net weight or per kg gross weight. */
export const Specific = strict({
  amount: Amount,
  per: Type.Union([Type.Literal('unit'), Type.Literal('kg-net'), Type.Literal('kg-gross')]),
});
export type Specific = Static<typeof Specific>;

/** One schedule line; ad valorem + specific together make a compound duty. */
export const ScheduleMeasure = strict({
  prefix: Type.String({ pattern: '^\\d{2,10}$' }),
  origins: Type.Optional(Type.Array(Country, { description: 'Preference: only for these origins' })),
  adValorem: Type.Optional(Rate),
  specific: Type.Optional(Specific),
  minimum: Type.Optional(Amount),
  maximum: Type.Optional(Amount),
  vatRate: Type.Optional(Rate),
  exciseRate: Type.Optional(Rate),
  description: Type.String(),
  ...provenance,
});
export type ScheduleMeasure = Static<typeof ScheduleMeasure>;

/** An effective-dated measure added on top of the schedule duty (surcharge). */
export const AdditionalMeasure = strict({
  id: Type.String(),
  from: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  prefixes: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{2,10}$' }))),
  origins: Type.Optional(Type.Array(Country)),
  adValorem: Type.Optional(Rate),
  specific: Type.Optional(Specific),
  measure: Type.String(),
  ...provenance,
});
export type AdditionalMeasure = Static<typeof AdditionalMeasure>;

/** A tariff schedule file (data/jurisdictions/<code>-tariff-sample.json or an imported CSV). */
export const TariffSchedule = strict({
  version: Type.String(),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  description: Type.String(),
  default: strict({ adValorem: Rate, ...provenance }),
  measures: Type.Array(ScheduleMeasure),
  additional: Type.Array(AdditionalMeasure),
});
export type TariffSchedule = Static<typeof TariffSchedule>;

/** What the measure needs to know about one item. */
export interface ItemFacts {
  readonly base: Amount;
  readonly quantity: Amount;
  readonly netKg: Amount;
  readonly grossKg: Amount;
}

/** A duty amount with the text that explains it. */
export interface MeasureAmount {
  readonly amount: Amount;
  readonly rateText: string;
  readonly formula: string;
}

/** The schedule line that applies to an item (or the default). */
export interface ScheduleHit {
  readonly measure: ScheduleMeasure | undefined;
  readonly label: string;
  readonly verified: boolean;
}

/** A compiled schedule. */
export interface CompiledSchedule {
  readonly raw: TariffSchedule;
  readonly version: string;
  lookup(hsCode: string | undefined, origin: string): ScheduleHit;
  additional(hsCode: string | undefined, origin: string, date: string): AdditionalMeasure[];
}

function specificQuantity(s: Specific, f: ItemFacts): Amount {
  return s.per === 'unit' ? f.quantity : s.per === 'kg-net' ? f.netKg : f.grossKg;
}

/** Applies ad valorem, specific, minimum and maximum to one item, unrounded. */
export function applyMeasure(
  m: Pick<ScheduleMeasure, 'adValorem' | 'specific' | 'minimum' | 'maximum'>,
  f: ItemFacts,
  currency: string,
): MeasureAmount {
  const parts: string[] = [];
  const rates: string[] = [];
  let due = ZERO;
  if (m.adValorem !== undefined) {
    const r = rate(m.adValorem);
    due += times(f.base, r);
    parts.push(`${r.text} x ${plain(f.base)}`);
    rates.push(r.text);
  }
  if (m.specific !== undefined) {
    const q = specificQuantity(m.specific, f);
    const a = rate(m.specific.amount);
    due += times(q, a);
    parts.push(`${a.text} ${currency}/${m.specific.per} x ${plain(q)}`);
    rates.push(`${a.text} ${currency} per ${m.specific.per}`);
  }
  if (m.minimum !== undefined && due < constant(m.minimum)) {
    due = constant(m.minimum);
    parts.push(`raised to the minimum ${m.minimum} ${currency}`);
  }
  if (m.maximum !== undefined && due > constant(m.maximum)) {
    due = constant(m.maximum);
    parts.push(`capped at the maximum ${m.maximum} ${currency}`);
  }
  return {
    amount: due,
    rateText: rates.length === 0 ? '0' : rates.join(' + '),
    formula: parts.length === 0 ? 'free' : parts.join(' + '),
  };
}

const LENGTHS = [10, 8, 6, 4, 2] as const;

/** Indexes a schedule by prefix; the longest matching prefix wins, an origin preference over the general line. */
export function compileSchedule(raw: TariffSchedule): CompiledSchedule {
  const byPrefix = new Map<string, ScheduleMeasure[]>();
  for (const m of raw.measures) {
    const list = byPrefix.get(m.prefix) ?? [];
    list.push(m);
    byPrefix.set(m.prefix, list);
  }
  const fallback: ScheduleHit = {
    measure: undefined,
    label: `default rate ${raw.default.adValorem} (${raw.default.source})`,
    verified: raw.default.verified,
  };
  const hits = new Map<ScheduleMeasure, ScheduleHit>();
  for (const m of raw.measures)
    hits.set(m, {
      measure: m,
      label: `tariff line ${m.prefix}${m.origins ? ` (preference for origin ${m.origins.join('/')})` : ''}: ${m.description}`,
      verified: m.verified,
    });
  const hit = (m: ScheduleMeasure): ScheduleHit => hits.get(m) ?? fallback;
  return {
    raw,
    version: raw.version,
    lookup(hsCode, origin) {
      if (hsCode === undefined) return fallback;
      for (const len of LENGTHS) {
        if (hsCode.length < len) continue;
        const list = byPrefix.get(hsCode.slice(0, len));
        if (list === undefined) continue;
        const preferred = list.find((m) => m.origins?.includes(origin) === true);
        const general = list.find((m) => m.origins === undefined);
        const chosen = preferred ?? general;
        if (chosen !== undefined) return hit(chosen);
      }
      return fallback;
    },
    additional(hsCode, origin, date) {
      return raw.additional.filter(
        (a) =>
          isActive(a, date) &&
          (a.origins === undefined || a.origins.includes(origin)) &&
          (a.prefixes === undefined ||
            (hsCode !== undefined && a.prefixes.some((p) => hsCode.startsWith(p)))),
      );
    },
  };
}
