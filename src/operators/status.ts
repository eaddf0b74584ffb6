/**
 * AEO certification and customs credit status: levels, validity, mutual recognition, suspension and
 * withdrawal as a transition table (REFERENCE.md §5). `effectiveAt` answers "what held at time t"
 * from the dated record, so a replayed assessment sees the status of its own time.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ParcelgateError } from '../domain/index.js';

/** Certification levels and credit grades, EU AEO-style and China credit-style. */
export const TrustLevel = Type.Union(
  [
    Type.Literal('AEOC'),
    Type.Literal('AEOS'),
    Type.Literal('AEOF'),
    Type.Literal('cn-advanced-certified'),
    Type.Literal('cn-general-certified'),
    Type.Literal('cn-general-credit'),
    Type.Literal('cn-dishonest'),
    Type.Literal('trusted-trader'),
  ],
  {
    description:
      'EU AEO customs simplifications (AEOC), security and safety (AEOS), full (AEOF); China credit grades ' +
      '(advanced certified = AEO, general certified (pre-2021), general credit, dishonest); a national trusted-trader programme',
  },
);
export type TrustLevel = Static<typeof TrustLevel>;

/** Levels that penalise rather than facilitate. */
export const sanctionLevels: ReadonlySet<TrustLevel> = new Set(['cn-dishonest']);

export const MutualRecognition = Type.Object(
  {
    agreement: Type.String({ minLength: 1, maxLength: 120, description: 'e.g. "EU-CN MRA (2014)"' }),
    foreignProgramme: Type.String({
      minLength: 1,
      maxLength: 120,
      description: 'e.g. "CN advanced certified"',
    }),
    recognisedAs: TrustLevel,
  },
  {
    additionalProperties: false,
    description: 'A foreign AEO recognised here under a mutual recognition agreement',
  },
);
export type MutualRecognition = Static<typeof MutualRecognition>;

/** What granting a status sends. */
export const StatusGrant = Type.Object(
  {
    level: TrustLevel,
    issuer: Type.String({ pattern: '^[A-Z]{2}$', description: 'Issuing administration (country code)' }),
    reference: Type.Optional(Type.String({ maxLength: 80, description: 'Certificate or decision number' })),
    validFrom: Type.String({ format: 'date-time' }),
    validTo: Type.Optional(Type.String({ format: 'date-time' })),
    mutualRecognition: Type.Optional(MutualRecognition),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type StatusGrant = Static<typeof StatusGrant>;

export const statusStates = ['active', 'suspended', 'withdrawn'] as const;
export type StatusState = (typeof statusStates)[number];
export const statusActions = ['suspend', 'reinstate', 'withdraw', 'renew'] as const;
export type StatusAction = (typeof statusActions)[number];

/** Allowed transitions of a status record; anything else is `status.transition-not-allowed`. */
export const statusTransitions: Readonly<Record<StatusState, Partial<Record<StatusAction, StatusState>>>> = {
  active: { suspend: 'suspended', withdraw: 'withdrawn', renew: 'active' },
  suspended: { reinstate: 'active', withdraw: 'withdrawn', renew: 'suspended' },
  withdrawn: {},
};

/** One dated change of a status record. */
export interface StatusChange {
  action: 'grant' | StatusAction;
  at: string;
  actor: string;
  reason?: string;
  until?: string;
  validTo?: string;
}

/** A status record of one operator. */
export interface TrustStatus extends StatusGrant {
  id: string;
  operatorId: string;
  state: StatusState;
  /** Suspension periods: from (inclusive) to (exclusive, absent while open). */
  suspensions: { from: string; to?: string; reason?: string }[];
  withdrawnAt?: string;
  history: StatusChange[];
}

/** What held at an instant: in force, or why not. */
export type EffectiveState = 'in-force' | 'not-yet-valid' | 'expired' | 'suspended' | 'withdrawn';

/** China credit: a dishonest grade is lifted after 12 months without new violations (Order 251 practice). */
export const dishonestDefaultMonths = 12;

/** Creates a status record from a grant; a dishonest grade without an end gets the default 12 months. */
export function grantStatus(
  id: string,
  operatorId: string,
  g: StatusGrant,
  actor: string,
  now: string,
): TrustStatus {
  if (g.validTo !== undefined && Date.parse(g.validTo) <= Date.parse(g.validFrom)) {
    throw new ParcelgateError('status.invalid-validity', 'validTo must be after validFrom', 400, {
      path: '/validTo',
    });
  }
  const validTo =
    g.validTo ?? (g.level === 'cn-dishonest' ? addMonths(g.validFrom, dishonestDefaultMonths) : undefined);
  return {
    ...g,
    ...(validTo !== undefined ? { validTo } : {}),
    id,
    operatorId,
    state: 'active',
    suspensions: [],
    history: [{ action: 'grant', at: now, actor, ...(g.reason !== undefined ? { reason: g.reason } : {}) }],
  };
}

/** An action on a status record, with its date (default now), reason and, for renew, the new end. */
export interface StatusActionInput {
  action: StatusAction;
  at?: string;
  reason: string;
  /** suspend: end of the suspension, if known. */
  until?: string;
  /** renew: the new end of validity. */
  validTo?: string;
}

/** Applies an action through the transition table; returns the new record (the input is not changed). */
export function applyStatusAction(
  s: TrustStatus,
  a: StatusActionInput,
  actor: string,
  now: string,
): TrustStatus {
  const at = a.at ?? now;
  // A suspension with an end date lapses by itself: once every suspension has ended by `at`, the
  // record is active again for the table (a new suspension is allowed, a reinstatement has nothing to do).
  const lapsed =
    s.state === 'suspended' &&
    s.suspensions.every((p) => p.to !== undefined && Date.parse(p.to) <= Date.parse(at));
  const state: StatusState = lapsed ? 'active' : s.state;
  const to = statusTransitions[state][a.action];
  if (to === undefined) {
    throw new ParcelgateError(
      'status.transition-not-allowed',
      `cannot ${a.action} a status that is ${state}${lapsed ? ' (its suspension has ended)' : ''}; allowed: ${Object.keys(statusTransitions[state]).join(', ') || 'none'}`,
      409,
      { state, action: a.action },
    );
  }
  if (!a.reason || a.reason.trim().length < 3)
    throw new ParcelgateError('status.reason-required', 'a status change needs a reason', 400, {
      path: '/reason',
    });
  const change: StatusChange = { action: a.action, at, actor, reason: a.reason.trim() };
  const next: TrustStatus = {
    ...s,
    state: to,
    suspensions: [...s.suspensions],
    history: [...s.history, change],
  };
  switch (a.action) {
    case 'suspend':
      if (a.until !== undefined && Date.parse(a.until) <= Date.parse(at))
        throw new ParcelgateError('status.invalid-validity', 'a suspension must end after it starts', 400, {
          path: '/until',
        });
      next.suspensions.push({ from: at, ...(a.until ? { to: a.until } : {}), reason: change.reason! });
      if (a.until) change.until = a.until;
      break;
    case 'reinstate': {
      const open = next.suspensions.findIndex((p) => p.to === undefined || Date.parse(p.to) > Date.parse(at));
      const current = next.suspensions[open];
      if (current !== undefined && Date.parse(at) <= Date.parse(current.from))
        throw new ParcelgateError(
          'status.invalid-validity',
          `a reinstatement must come after the suspension it ends, which began ${current.from}`,
          400,
          { path: '/at' },
        );
      if (current !== undefined) next.suspensions[open] = { ...current, to: at };
      break;
    }
    case 'withdraw':
      next.withdrawnAt = at;
      break;
    case 'renew':
      if (a.validTo === undefined || Date.parse(a.validTo) <= Date.parse(s.validTo ?? s.validFrom))
        throw new ParcelgateError(
          'status.invalid-validity',
          'renew needs a validTo later than the current end',
          400,
          {
            path: '/validTo',
          },
        );
      next.validTo = a.validTo;
      change.validTo = a.validTo;
      break;
  }
  return next;
}

/** What the record says held at `at` (withdrawal and suspensions are dated, so this is replayable). */
export function effectiveAt(s: TrustStatus, at: string): EffectiveState {
  const t = Date.parse(at);
  if (s.withdrawnAt !== undefined && Date.parse(s.withdrawnAt) <= t) return 'withdrawn';
  if (t < Date.parse(s.validFrom)) return 'not-yet-valid';
  if (s.validTo !== undefined && t >= Date.parse(s.validTo)) return 'expired';
  for (const p of s.suspensions) {
    if (Date.parse(p.from) <= t && (p.to === undefined || t < Date.parse(p.to))) return 'suspended';
  }
  return 'in-force';
}

/** The level a status confers here: its own, or what a mutual recognition agreement recognises it as. */
export const conferredLevel = (s: TrustStatus): TrustLevel => s.mutualRecognition?.recognisedAs ?? s.level;

function addMonths(iso: string, months: number): string {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
}
