/** Test helpers: operators, statuses and trust indexes built in memory. */
import type { Operator } from './schemas.js';
import { grantStatus, type StatusGrant, type TrustStatus } from './status.js';
import { buildTrustIndex, type TrustIndex } from './trust-index.js';

/** A registered operator with the given identifiers. */
export function testOperator(
  id: string,
  identifiers: Operator['identifiers'],
  kind: Operator['kind'] = 'seller',
): Operator {
  return {
    id,
    kind,
    name: `Operator ${id}`,
    country: 'CN',
    identifiers,
    contacts: [],
    registeredAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    version: 1,
  };
}

/** A status granted to an operator, valid from 2025 to 2030 unless overridden. */
export function testStatus(
  operatorId: string,
  grant: Partial<StatusGrant> = {},
  id = `sts_${operatorId}`,
): TrustStatus {
  return grantStatus(
    id,
    operatorId,
    {
      level: 'AEOF',
      issuer: 'DE',
      validFrom: '2025-01-01T00:00:00.000Z',
      validTo: '2030-01-01T00:00:00.000Z',
      ...grant,
    },
    'officer:test',
    '2025-01-01T00:00:00.000Z',
  );
}

/** An index of the operators and statuses, with optional scores and cases. */
export function testIndex(
  operators: Operator[],
  statuses: TrustStatus[] = [],
  scores: [string, { score: number; band: 'high' | 'medium' | 'low'; observations: number }][] = [],
  cases: [string, number][] = [],
): TrustIndex {
  return buildTrustIndex({ operators, statuses, scores: new Map(scores), confirmedCases: new Map(cases) });
}
