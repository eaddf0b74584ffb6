/**
 * Excel export for parties that work in spreadsheets: one workbook with the consignments in the bulk
 * template (sheet `consignments`, the columns `readXlsx` reads, so a file exported here imports back
 * to the same records) and the customs responses (sheet `responses`: state, response code, reasons,
 * what is due). Money and dates are written as text cells, exactly as stored.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { buildResponse, type CustomsResponse, type SubmitterInformation } from '../clearance/index.js';
import type { ConsignmentInput } from '../domain/index.js';
import { writeCsv } from '../intake/index.js';
import type { StoredConsignment } from '../store/index.js';

/** Columns of the `responses` sheet. */
export const responseColumns = [
  'consignmentId',
  'ref',
  'transportDocument',
  'version',
  'state',
  'response',
  'reasons',
  'dueAtBorder',
  'prepaid',
  'currency',
  'collectionModel',
  'updatedAt',
  // The open request for information (docs/information-requests.md), empty when there is none.
  'information',
  'informationRequestedAt',
  'informationDocuments',
  'informationMessage',
  'informationAnswers',
  'informationLastAnsweredAt',
  'informationAnswerWith',
  // Deferred or per consignment, and why a deferral was refused (docs/operators.md).
  'paymentMode',
  'paymentReason',
  // A seized, returned or abandoned parcel: what happens to what was assessed (CustomsResponse.settlement).
  'assessedDueAtBorder',
  'collectedAtBorder',
  'sellerRefunds',
  'notDue',
] as const;

/** The request-for-information cells of a responses row: status, date, documents, message, answers, where to answer. */
function informationCells(i: SubmitterInformation | undefined): string[] {
  if (i === undefined) return ['', '', '', '', '', '', ''];
  return [
    i.status,
    i.requestedAt,
    i.documents.join('; '),
    i.message,
    String(i.answers),
    i.lastAnsweredAt ?? '',
    `${i.answerWith.method} ${i.answerWith.path}`,
  ];
}

/**
 * The record a party's sheet carries for a consignment: the viewer's own latest record (what it
 * sent, so a re-import is `unchanged`), or the merged data for customs staff (no viewer). The `ref`
 * column is the record's `externalRef`, or the consignment id when it has none.
 */
export function exportedRecord(c: StoredConsignment, viewer?: string): ConsignmentInput {
  const own = viewer === undefined ? [] : c.sources.filter((s) => s.submitterId === viewer);
  const data = own.length > 0 ? own[own.length - 1]!.data : c.merged;
  return data.externalRef === undefined ? { ...data, externalRef: c.id } : data;
}

/**
 * Builds the workbook (sheets `consignments` and `responses`) for these consignments. `responses`
 * holds the customs responses as `responseWithInformation` builds them (with the open request for
 * information and a returned parcel's settlement), by consignment id; a consignment without one gets
 * `buildResponse` of its document.
 */
export async function consignmentsWorkbook(
  consignments: readonly StoredConsignment[],
  viewer?: string,
  built?: ReadonlyMap<string, CustomsResponse>,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('consignments');
  const records = consignments.map((c) => exportedRecord(c, viewer));
  for (const row of parse(writeCsv(records), { bom: true, relax_column_count: true }) as string[][])
    sheet.addRow(row);
  const responses = wb.addWorksheet('responses');
  responses.addRow([...responseColumns]);
  consignments.forEach((c, i) => {
    const r = built?.get(c.id) ?? buildResponse(c);
    const td = c.merged.transportDocument;
    responses.addRow([
      c.id,
      records[i]!.externalRef ?? '',
      td ? `${td.type}:${td.id}` : '',
      String(r.version),
      r.state,
      r.response,
      r.reasons.join('; '),
      r.dueAtBorder,
      r.prepaid,
      r.currency,
      r.collectionModel,
      r.updatedAt,
      ...informationCells(r.information),
      r.payment?.mode ?? '',
      r.payment?.mode === 'per-consignment' ? (r.payment.reason ?? '') : '',
      r.settlement?.assessedDueAtBorder ?? '',
      r.settlement?.collectedAtBorder ?? '',
      r.settlement?.sellerRefunds ?? '',
      r.settlement?.notDue ?? '',
    ]);
  });
  for (const ws of [sheet, responses]) ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
