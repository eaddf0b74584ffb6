/** Counterfeit and unsafe-goods cases: the state table and pure transitions. */
import { ParcelgateError } from '../domain/index.js';
import type { CaseAction, CaseActionInput, CaseInput, Evidence } from './schemas.js';

export const caseStates = ['opened', 'confirmed', 'dismissed', 'seized', 'disposed'] as const;
export type CaseState = (typeof caseStates)[number];

/** Allowed case transitions; anything else is `case.transition-not-allowed`. */
export const caseTransitions: Readonly<Record<CaseState, Partial<Record<CaseAction, CaseState>>>> = {
  opened: { confirm: 'confirmed', dismiss: 'dismissed' },
  confirmed: { seize: 'seized' },
  seized: { dispose: 'disposed' },
  dismissed: {},
  disposed: {},
};

/** A case as stored. */
export interface EnforcementCase extends Omit<CaseInput, 'evidence'> {
  id: string;
  state: CaseState;
  brandName?: string;
  sellerOperatorId?: string;
  platformOperatorId?: string;
  evidence: (Evidence & { at: string; by: string })[];
  disposal?: string;
  noticeId?: string;
  openedAt: string;
  history: { action: 'open' | CaseAction | 'evidence'; at: string; actor: string; reason?: string }[];
}

/** Applies an action through the table (pure). */
export function applyCaseAction(
  c: EnforcementCase,
  a: CaseActionInput,
  actor: string,
  now: string,
): EnforcementCase {
  const to = caseTransitions[c.state][a.action];
  if (to === undefined)
    throw new ParcelgateError(
      'case.transition-not-allowed',
      `cannot ${a.action} a case that is ${c.state}; allowed: ${Object.keys(caseTransitions[c.state]).join(', ') || 'none'}`,
      409,
      { state: c.state, action: a.action },
    );
  if (a.action === 'dispose' && a.disposal === undefined)
    throw new ParcelgateError('case.disposal-required', 'say how the goods were disposed of', 400, {
      path: '/disposal',
    });
  return {
    ...c,
    state: to,
    ...(a.disposal !== undefined && a.action === 'dispose' ? { disposal: a.disposal } : {}),
    history: [...c.history, { action: a.action, at: a.at ?? now, actor, reason: a.reason }],
  };
}

/** What customs tells the platform about a case in each state. */
export const noticeOutcome: Readonly<Record<CaseState, string>> = {
  opened: 'under investigation',
  confirmed: 'confirmed as infringing or unsafe',
  dismissed: 'dismissed',
  seized: 'goods seized',
  disposed: 'goods seized and disposed of',
};
