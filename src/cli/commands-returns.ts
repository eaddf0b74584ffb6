/** `returns record | list | show | act` commands: returned and refused parcels and their refund position. */
import { ReturnActionInput, ReturnInput, type ParcelReturn } from '../returns/index.js';
import { checkedWithDefaults } from './commands-partnership.js';
import { printList, withServices, type StoreOptions } from './commands-operators.js';
import { cliActor } from './commands-security.js';
import { UsageError, isoOption as iso, positiveInt } from './io.js';

/** Parses `--items 0,2,3` into item indexes. */
export function parseItems(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(',').map((x) => x.trim());
  const out = parts.map(Number);
  const bad = parts.findIndex((p, i) => p === '' || !Number.isInteger(out[i]) || out[i]! < 0);
  if (bad >= 0)
    throw new UsageError(
      `--items must be item indexes separated by commas (e.g. 0,2), got '${parts[bad]}' in '${v}'`,
    );
  return out;
}

/** `returns record`: registers a return, records the clearance event, prints the return with its refund position. */
export const recordReturnCommand = (
  o: StoreOptions & {
    consignment: string;
    kind: string;
    reason: string;
    note?: string;
    items?: string;
    at?: string;
    clearanceEvent?: boolean;
    json?: boolean;
  },
) =>
  withServices(o, async (s) => {
    const items = parseItems(o.items);
    const at = iso('at', o.at);
    const input = checkedWithDefaults<ReturnInput>(ReturnInput, {
      consignmentId: o.consignment,
      kind: o.kind,
      reason: o.reason,
      ...(o.note ? { note: o.note } : {}),
      ...(items ? { itemIndexes: items } : {}),
      ...(at ? { at } : {}),
      applyClearanceEvent: o.clearanceEvent !== false,
    });
    const stamp = new Date().toISOString();
    const r = await s.returns.register(input, {
      actor: cliActor(),
      submitterId: cliActor(),
      now: stamp,
    });
    process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : renderReturn(r));
  });

/** `returns list`: returns of a consignment or registered in a period, one line each. */
export const listReturnsCommand = (
  o: StoreOptions & { consignment?: string; from?: string; to?: string; limit?: string; json?: boolean },
) =>
  withServices(o, async (s) => {
    const items = await s.returns.list({
      ...(o.consignment ? { consignmentId: o.consignment } : {}),
      ...(o.from ? { from: iso('from', o.from)! } : {}),
      ...(o.to ? { to: iso('to', o.to)! } : {}),
      limit: positiveInt('limit', o.limit, 1000),
    });
    printList(
      items,
      o.json,
      (r) => [
        r.id,
        r.consignmentId,
        r.kind,
        r.reason,
        r.state,
        `repayable ${r.refund.repayable} ${r.refund.currency}`,
        r.sellerKey ?? '-',
        r.registeredAt,
      ],
      'no returns',
    );
  });

/** `returns show <id>`: the return with its line-by-line refund position. */
export const showReturnCommand = (id: string, o: StoreOptions & { json?: boolean }) =>
  withServices(o, async (s) => {
    const r = (await s.returns.get(id)).doc;
    process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : renderReturn(r));
  });

/** `returns act <id> <action>`: re-export, claim, approve, reject or pay the refund, close. */
export const returnActionCommand = (
  id: string,
  action: string,
  o: StoreOptions & {
    reason?: string;
    exportReference?: string;
    office?: string;
    paymentReference?: string;
    at?: string;
  },
) =>
  withServices(o, async (s) => {
    const at = iso('at', o.at);
    const a = checkedWithDefaults<ReturnActionInput>(ReturnActionInput, {
      action,
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.exportReference ? { exportReference: o.exportReference } : {}),
      ...(o.office ? { office: o.office } : {}),
      ...(o.paymentReference ? { paymentReference: o.paymentReference } : {}),
      ...(at ? { at } : {}),
    });
    process.stdout.write(renderReturn(await s.returns.act(id, a, cliActor(), new Date().toISOString())));
  });

/** A return as text: what, why, state, then one row per tax line with its refund treatment, then totals. */
export function renderReturn(r: ParcelReturn): string {
  const p = r.refund;
  const lines = [
    `${r.id}  ${r.kind} (${r.reason})  state ${r.state}`,
    `consignment ${r.consignmentId}  destination ${r.destination}  registered ${r.registeredAt}`,
    `items ${r.itemIndexes ? r.itemIndexes.join(',') : 'all'}  platform ${r.platformId ?? '-'}  seller ${r.sellerKey ?? '-'}`,
    ...(r.reExport
      ? [
          `re-exported ${r.reExport.at} under ${r.reExport.exportReference}${r.reExport.office ? ` at ${r.reExport.office}` : ''}`,
        ]
      : []),
    ...(r.payment ? [`refund paid ${r.payment.at} (${r.payment.reference})`] : []),
    '',
    ['type', 'item', 'amount', 'collected by', 'treatment']
      .map((h, i) => (i === 2 ? h.padStart(12) : h.padEnd(14)))
      .join(' ') + ' explanation',
  ];
  for (const l of p.lines)
    lines.push(
      [
        l.type.padEnd(14),
        (l.itemIndex === undefined ? '-' : String(l.itemIndex)).padEnd(14),
        l.amount.padStart(12),
        l.collectedBy.padEnd(14),
        l.treatment.padEnd(14),
      ].join(' ') +
        ' ' +
        l.explanation,
    );
  if (p.lines.length === 0) lines.push('(no tax lines)');
  lines.push(
    '',
    `repayable by customs ${p.repayable} ${p.currency}; refunded by the seller or platform ${p.sellerRefunds}; not due ${p.notDue}`,
  );
  return lines.join('\n') + '\n';
}
