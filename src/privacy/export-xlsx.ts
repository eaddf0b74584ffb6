/**
 * The .xlsx export with personal data scrubbed per data class, like the NDJSON and CSV exports
 * (export.ts): every consignment is deep-copied and scrubbed (its parties at any depth, its source
 * records, then every other occurrence of a scrubbed value) before the workbook is built. Without
 * scrubbing (`classes` empty) a submitter's sheet re-imports to the records it sent.
 */
import { responseWithInformation, type CustomsResponse } from '../clearance/index.js';
import { consignmentsWorkbook } from '../exchange/xlsx-export.js';
import type { ClearanceStore, StoredConsignment } from '../store/port.js';
import { consignmentsOf, scrubbedConsignment, type ExportOptions, type ExportReport } from './export.js';
import { dataClasses } from './fields.js';

/** Consignments an xlsx export holds unless told otherwise: the workbook is built in memory. */
export const defaultXlsxLimit = 10_000;

/**
 * Builds the workbook of the consignments matching `opts.filter` (newest first, at most `opts.limit`,
 * default `defaultXlsxLimit`), scrubbed of `opts.classes`. With `viewer`, a consignment's row is that
 * operator's own latest record (the re-importable template); otherwise the merged data.
 */
export async function exportWorkbook(
  store: ClearanceStore,
  opts: Omit<ExportOptions, 'format'> & { viewer?: string },
): Promise<{ workbook: Buffer; report: ExportReport }> {
  const classes = dataClasses.filter((c) => opts.classes.includes(c));
  const report: ExportReport = { consignments: 0, format: 'xlsx', scrubbed: classes, redactions: 0 };
  const scrubbed: StoredConsignment[] = [];
  // The responses as the API gives them (open requests for information, a returned parcel's settlement).
  const responses = new Map<string, CustomsResponse>();
  for await (const c of consignmentsOf(store, opts.filter, opts.limit ?? defaultXlsxLimit)) {
    responses.set(c.id, await responseWithInformation(store, c));
    const { doc, redactions } = scrubbedConsignment(c, [], classes);
    delete doc.versions;
    scrubbed.push(doc as unknown as StoredConsignment);
    report.redactions += redactions;
    report.consignments += 1;
  }
  return { workbook: await consignmentsWorkbook(scrubbed, opts.viewer, responses), report };
}
