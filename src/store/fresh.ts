/** Reading back a fresh consignment (`BatchWrites.fresh`) as an object. */
import type { ConsignmentInput, SourceRecord } from '../domain/index.js';
import type { FreshConsignment, StoredConsignment } from './port.js';
import { rebuildConsignment, type SlimDoc } from './sqlite/sqlite-rows.js';

/** The consignment object a fresh consignment's texts describe (what reading it back after commit gives). */
export function freshToStored(f: FreshConsignment): StoredConsignment {
  const records = new Map<string, SourceRecord>();
  for (const d of f.declarations) {
    records.set(d.declarationId, {
      declarationId: d.declarationId,
      kind: d.kind,
      submitterId: d.submitterId,
      receivedAt: d.receivedAt,
      hash: d.hash,
      data: JSON.parse(d.json) as ConsignmentInput,
    });
  }
  return rebuildConsignment(JSON.parse(f.doc) as SlimDoc, records);
}
