/** `parcelgate export-xlsx`: consignments and their responses as a workbook (re-importable template). */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportedConsignments } from '../api/routes-exports.js';
import type { ClearanceState, Lane } from '../domain/index.js';
import { consignmentsWorkbook } from '../exchange/index.js';
import { openPostgresStore, openSqliteStore } from '../store/index.js';
import { positiveInt } from './io.js';

/** Writes the workbook; a `--submitter` export carries that submitter's own records. */
export async function exportXlsxCommand(o: {
  out: string;
  dataDir?: string;
  postgres?: string;
  submitter?: string;
  state?: string;
  lane?: string;
  destination?: string;
  limit?: string;
}): Promise<void> {
  const store = o.postgres
    ? await openPostgresStore({ url: o.postgres })
    : openSqliteStore({ dataDir: o.dataDir ?? process.env.PARCELGATE_DATA_DIR ?? resolve('.parcelgate') });
  try {
    const consignments = await exportedConsignments(store, {
      ...(o.submitter !== undefined ? { submitterId: o.submitter } : {}),
      ...(o.state !== undefined ? { state: o.state as ClearanceState } : {}),
      ...(o.lane !== undefined ? { lane: o.lane as Lane } : {}),
      ...(o.destination !== undefined ? { destination: o.destination } : {}),
      limit: positiveInt('limit', o.limit, 1000),
    });
    writeFileSync(o.out, await consignmentsWorkbook(consignments, o.submitter));
    process.stderr.write(`${consignments.length} consignment(s) written to ${o.out}\n`);
  } finally {
    await store.close();
  }
}
