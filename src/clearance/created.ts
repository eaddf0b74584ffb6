/**
 * A consignment a batch creates from one record, kept as text until something needs its objects:
 * the record's data is canonical JSON and its assessment JSON, both made while preparing (possibly
 * on a worker thread), so most new consignments are written without parsing or serialising again.
 */
import type {
  Assessment,
  ClearanceState,
  ConsignmentInput,
  Decision,
  Lane,
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
  assessment: {
    decision: Decision;
    lane: Lane;
    riskScore: number;
    dueAtBorder: string;
    currency: string;
    /** The Assessment as JSON. */
    json: string;
  };
}

/**
 * The slim document (see docs/storage.md) of a created consignment: exactly the text the document
 * encoder writes for the same consignment (sources by declaration id, `merged` null, no mismatches),
 * assembled around the assessment's JSON without parsing it.
 */
export function createdDocument(c: CreatedConsignment): string {
  return (
    `{"id":${JSON.stringify(c.id)},"version":1,"state":${JSON.stringify(c.state)},` +
    `"submitterId":${JSON.stringify(c.submitterId)},"keys":${JSON.stringify(c.keys)},` +
    `"sources":[${JSON.stringify(c.declaration.declarationId)}],"merged":null,"mismatches":[],` +
    `"assessment":${c.assessment.json},"createdAt":${JSON.stringify(c.at)},"updatedAt":${JSON.stringify(c.at)}}`
  );
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
    assessment: JSON.parse(c.assessment.json) as Assessment,
    createdAt: c.at,
    updatedAt: c.at,
  };
}
