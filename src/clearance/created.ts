/**
 * A consignment a batch creates from one record, kept as light as possible until something needs the
 * whole object: the record's data stays the canonical JSON made while preparing (possibly on a worker
 * thread), so most new consignments are written without serialising their record again.
 */
import type {
  Assessment,
  ClearanceState,
  ConsignmentInput,
  SourceKind,
  SourceRecord,
} from '../domain/index.js';
import type { StoredConsignment } from '../store/index.js';

/** A new consignment from a single record, as text. */
export interface CreatedConsignment {
  id: string;
  state: ClearanceState;
  submitterId: string;
  keys: string[];
  destination: string;
  office: string | null;
  /** Creation time (also the update time). */
  at: string;
  declaration: {
    declarationId: string;
    kind: SourceKind;
    submitterId: string;
    receivedAt: string;
    hash: string;
    /** The record's data (a ConsignmentInput) as canonical JSON. */
    json: string;
  };
  assessment: Assessment;
}

/**
 * The slim document (see docs/storage.md) of a created consignment: exactly the text the document
 * encoder writes for the same consignment (sources by declaration id, `merged` null, no mismatches),
 * assembled around the record's id without building the whole consignment. One `JSON.stringify` of an
 * object with the document's keys in its order writes the same text as joining each member's JSON,
 * without a call per member or a rope of some thirty pieces kept alive until the batch commits.
 */
export function createdDocument(c: CreatedConsignment): string {
  return JSON.stringify({
    id: c.id,
    version: 1,
    state: c.state,
    submitterId: c.submitterId,
    keys: c.keys,
    sources: [c.declaration.declarationId],
    merged: null,
    mismatches: [],
    assessment: c.assessment,
    createdAt: c.at,
    updatedAt: c.at,
  });
}

/** The source record of a created consignment (parses its data unless given). */
export function createdRecord(c: CreatedConsignment, data?: ConsignmentInput): SourceRecord {
  const d = c.declaration;
  return {
    declarationId: d.declarationId,
    kind: d.kind,
    submitterId: d.submitterId,
    receivedAt: d.receivedAt,
    hash: d.hash,
    data: data ?? (JSON.parse(d.json) as ConsignmentInput),
  };
}

/** The whole consignment object of a created consignment. */
export function createdConsignment(c: CreatedConsignment, record = createdRecord(c)): StoredConsignment {
  return {
    id: c.id,
    version: 1,
    state: c.state,
    submitterId: c.submitterId,
    keys: c.keys,
    sources: [record],
    merged: record.data,
    mismatches: [],
    assessment: c.assessment,
    createdAt: c.at,
    updatedAt: c.at,
  };
}
