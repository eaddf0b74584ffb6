/**
 * What a submitter may read of a stored consignment (issue #4, explanation): the risk outcome in its
 * redacted form (lane, security outcome, generic reasons), never the rules, indicators, scores, random
 * draw or capacity selection behind it. Officers and analysts see the full explanation.
 */
import type { FastifyRequest } from 'fastify';
import { principalOf } from '../access/index.js';
import { redactForSubmitter } from '../risk/index.js';
import type { StoredConsignment } from '../store/index.js';

/** True when the request is made with a submitter key. */
export const asSubmitter = (req: FastifyRequest): boolean => principalOf(req).role === 'submitter';

/** A stored consignment with its risk explanation replaced by the submitter's redacted view. */
export function submitterView(c: StoredConsignment): Omit<StoredConsignment, 'assessment'> & {
  assessment: Omit<StoredConsignment['assessment'], 'risk'> & { risk: ReturnType<typeof redactForSubmitter> };
} {
  return { ...c, assessment: { ...c.assessment, risk: redactForSubmitter(c.assessment.risk) } };
}

/** A list row without the risk score (the score reveals how targeting ranks the parcel). */
export function withoutScore<T extends { riskScore?: number }>(row: T): Omit<T, 'riskScore'> {
  const { riskScore: _dropped, ...rest } = row;
  return rest;
}
