/**
 * What the revenue ledger needs of a fresh consignment (its merged data, revenue assessment, assessment
 * time and state), read from the ready-to-write texts (PipelineDeps.observeWrites) instead of
 * materialising it with its sources (`freshToStored`): the slim document is parsed once and, for a
 * single-source consignment (whose document leaves `merged` out), the one declaration's data. Measured
 * about 0.8 of the materialisation per consignment (docs/revenue.md). The member-cutting scan of
 * `fresh-facts.ts` is slower here: the ledger needs most of the document (the revenue lines).
 */
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import type { LedgerSubject } from '../revenue/index.js';
import type { FreshConsignment } from '../store/index.js';

interface SlimDocPart {
  merged?: ConsignmentInput | null;
  assessment?: { revenue?: RevenueAssessment; assessedAt?: string };
}

/** The ledger subject of a fresh consignment, from its texts. */
export function freshLedgerSubject(f: FreshConsignment): LedgerSubject {
  const doc = JSON.parse(f.doc) as SlimDocPart;
  const json = f.declarations[0]?.json;
  const input = doc.merged ?? (json === undefined ? undefined : (JSON.parse(json) as ConsignmentInput));
  const revenue = doc.assessment?.revenue;
  const assessedAt = doc.assessment?.assessedAt;
  if (input === undefined || revenue === undefined || assessedAt === undefined)
    throw new Error(`fresh consignment ${f.id} has no data or assessment for the revenue ledger`);
  return { id: f.id, input, revenue, assessedAt, state: f.state };
}
