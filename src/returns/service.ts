/** Returns service: registers returns against their consignment, moves them through re-export and refund, and counts them. */
import { Decimal } from 'decimal.js';
import { ParcelgateError, nextState, type ClearanceTrigger } from '../domain/index.js';
import {
  customsHoldProblem,
  recordCarrierEvent,
  recordItemsReturned,
  recordOfficerDecision,
  type RequestContext,
} from '../clearance/index.js';
import { identifierKey, type OperatorService } from '../operators/index.js';
import { registryId, type RegistryStore } from '../registry/index.js';
import type { ClaimCheck, ClearanceStore, StoredConsignment } from '../store/index.js';
import { loadRevenueContext, refundRuleAt, type AppliedRefundRule } from '../revenue/index.js';
import { refundPosition } from './refund.js';
import { applyReturnAction, returnDateProblem, type ParcelReturn } from './returns.js';
import type { ReturnActionInput, ReturnInput, ReturnKind } from './schemas.js';

const C = 'return';
const utc = (iso: string): string => new Date(iso).toISOString();

/** Per consignment: the items its returns took back (the record two registrations race on). */
const claimCollection = 'return-items';
interface ReturnedItems {
  items: number[];
  returnIds: string[];
}
const triggerOf: Record<ReturnKind, ClearanceTrigger> = {
  refused: 'carrier.refused',
  undeliverable: 'carrier.returned',
  'returned-by-buyer': 'carrier.returned',
  'customs-return': 'officer.return',
};

/** Counts and refund totals of returns by one dimension. */
export interface ReturnStats {
  total: number;
  by: Record<string, Record<string, { returns: number; repayable: Record<string, string> }>>;
}

/** The returns service. */
/** The destination's refund rule (shipped profiles) for a return on `at` of a parcel released at `releasedAt`. */
function refundFor(
  c: StoredConsignment,
  releasedAt: string | undefined,
  at: string,
): { rule: AppliedRefundRule; returnedAt: string } | undefined {
  const rule = refundRuleAt(loadRevenueContext(), c.merged.routing.destinationCountry, at, releasedAt);
  return rule === undefined ? undefined : { rule, returnedAt: at };
}

export class ReturnsService {
  constructor(
    private readonly store: RegistryStore,
    private readonly clearance: ClearanceStore,
    private readonly operators: OperatorService,
  ) {}

  /**
   * Registers a return: checks the items, computes the refund position and (by default) records the
   * clearance event. With `ownedBy` (a submitter's key), the consignment must be one that operator
   * created or contributed a record to; any other is the same 404 as a missing one. With `claimCheck`,
   * a customs-return's `officer.return` is refused when another officer holds a live queue claim on the
   * consignment (checked in its transaction, like a decision), and the return is taken back.
   */
  async register(
    input: ReturnInput,
    ctx: RequestContext,
    ownedBy?: string,
    claimCheck?: ClaimCheck,
    attempt = 1,
  ): Promise<ParcelReturn> {
    const c = await this.clearance.get(input.consignmentId);
    const owns =
      ownedBy === undefined ||
      (c !== undefined && (c.submitterId === ownedBy || c.sources.some((s) => s.submitterId === ownedBy)));
    if (!c || !owns)
      throw new ParcelgateError('consignment.not-found', `no consignment ${input.consignmentId}`, 404, {
        path: '/consignmentId',
      });
    // Returning a parcel on a customs decision (officer.return) is an officer's, also for a parcel held
    // for inspection: a carrier's key would otherwise send back what customs meant to inspect.
    if (ownedBy !== undefined && input.kind === 'customs-return')
      throw new ParcelgateError(
        'return.customs-decision',
        `a submitter's key cannot register a customs-return of ${c.id}: returning a parcel on a customs decision is an officer's (a carrier registers refused, undeliverable or returned-by-buyer)`,
        403,
        { path: '/kind' },
      );
    const count = c.merged.items.length;
    const bad = (input.itemIndexes ?? []).findIndex((i) => i >= count);
    if (bad >= 0)
      throw new ParcelgateError(
        'return.invalid-items',
        `item ${input.itemIndexes![bad]} is not an item of ${c.id} (it has ${count})`,
        422,
        {
          path: `/itemIndexes/${bad}`,
        },
      );
    // The consignment's claim on its items: written with the return, on the version read here, so two
    // registrations at once cannot both pass the overlap check (the second is a conflict, re-checked).
    const claim = await this.store.get<ReturnedItems>(claimCollection, c.id);
    const open = await this.store.find<ParcelReturn>({ collection: C, ref: c.id });
    // A parcel goes back once: an item already in a return (open or closed) cannot be returned again.
    const overlap = open.some(
      (r) =>
        r.doc.itemIndexes === undefined ||
        input.itemIndexes === undefined ||
        r.doc.itemIndexes.some((i) => input.itemIndexes!.includes(i)),
    );
    if (overlap)
      throw new ParcelgateError(
        'return.already-registered',
        `${c.id} already has a return for these items`,
        409,
      );
    // Items earlier (partial) returns took back: consignment-level lines go with the return that
    // completes the set, and so does the clearance event (a parcel whose buyer kept an item is not
    // returned as a whole).
    const earlier = open.flatMap((r) => r.doc.itemIndexes ?? []);
    const completes = new Set([...earlier, ...(input.itemIndexes ?? [...Array(count).keys()])]).size >= count;
    const trigger = triggerOf[input.kind];
    const check = (input.applyClearanceEvent ?? true) && c.state !== 'returned';
    const apply = check && completes;
    if (check) {
      // Goods customs still holds after arrival go back only on its decision (officer.return).
      const held = customsHoldProblem(c, trigger);
      if (held !== undefined) throw held;
      const r = nextState(c.state, trigger);
      if (!r.ok)
        throw new ParcelgateError(
          'state.transition-not-allowed',
          `cannot apply '${trigger}' to a consignment in state '${c.state}'; allowed: ${r.allowed.join(', ') || 'none'}`,
          409,
          {
            state: c.state,
            trigger,
            allowed: r.allowed,
          },
        );
    }
    const events = await this.clearance.events(c.id);
    const released = events.find((e) => e.to === 'released');
    const paid = released !== undefined;
    const platformId = c.merged.platform?.id ?? null;
    // The seller: by its id on the platform, else by its business id (EORI, VAT, TIN; never a
    // personal id) for a seller that sells directly.
    const onPlatform =
      platformId && c.merged.platform?.sellerId ? `${platformId}/${c.merged.platform.sellerId}` : null;
    const sid = c.merged.seller?.id;
    const business =
      sid && (sid.type === 'EORI' || sid.type === 'VAT' || sid.type === 'TIN')
        ? { scheme: sid.type, value: sid.value }
        : undefined;
    const businessKey = business ? identifierKey(business) : null;
    const sellerKey = onPlatform ?? businessKey;
    const seller = onPlatform
      ? await this.operators.resolve('PLATFORM-SELLER', onPlatform)
      : business
        ? await this.operators.resolve(business.scheme, business.value)
        : undefined;
    // Stored in UTC: periods, statistics and the claim deadline compare these texts.
    const at = utc(input.at ?? ctx.now);
    // Not after the clock, and not before the release it follows (a refund rests on the release date).
    const dated = returnDateProblem(
      at,
      ctx.now,
      released === undefined ? undefined : { at: utc(released.at), what: `the release of ${c.id}` },
    );
    if (dated !== undefined) throw dated;
    const ret: ParcelReturn = {
      id: registryId('ret', Date.parse(ctx.now)),
      consignmentId: c.id,
      kind: input.kind,
      reason: input.reason,
      ...(input.note ? { note: input.note } : {}),
      ...(input.itemIndexes ? { itemIndexes: [...input.itemIndexes].sort((a, b) => a - b) } : {}),
      state: 'registered',
      submitterId: c.submitterId,
      platformId,
      sellerKey,
      sellerOperatorId: seller?.id ?? null,
      destination: c.merged.routing.destinationCountry,
      refund: refundPosition(
        c.assessment.revenue,
        input.itemIndexes,
        paid,
        count,
        refundFor(c, released?.at, at),
        earlier,
      ),
      registeredAt: at,
      history: [{ action: 'register', at, actor: ctx.actor, ...(input.note ? { reason: input.note } : {}) }],
    };
    const items: ReturnedItems = {
      items: [...new Set([...earlier, ...(ret.itemIndexes ?? [...Array(count).keys()])])].sort(
        (x, y) => x - y,
      ),
      returnIds: [...(claim?.doc.returnIds ?? []), ret.id],
    };
    let written;
    try {
      [written] = await this.store.write([
        { collection: C, id: ret.id, owner: ret.sellerOperatorId, ref: c.id, at, doc: ret, expectVersion: 0 },
        { collection: claimCollection, id: c.id, ref: c.id, doc: items, expectVersion: claim?.version ?? 0 },
      ]);
    } catch (e) {
      // Another return of this consignment was registered meanwhile: check again against it.
      if (e instanceof ParcelgateError && e.code === 'registry.conflict' && attempt < 3)
        return this.register(input, ctx, ownedBy, claimCheck, attempt + 1);
      throw e;
    }
    // A partial return moves nothing but is a revenue fact: its lines are unwound and its items no
    // longer count toward the consignee's limits (consignment.items-returned).
    if (check && !completes) {
      const reason = `${input.kind}: ${input.reason}${input.note ? ` (${input.note})` : ''}`;
      try {
        await recordItemsReturned(ctx, this.clearance, c.id, {
          items: ret.itemIndexes ?? [],
          trigger,
          at,
          reason,
        });
      } catch (e) {
        await this.undo(ret, written?.version ?? 1, claim);
        throw e;
      }
    }
    if (apply) {
      try {
        const reason = `${input.kind}: ${input.reason}${input.note ? ` (${input.note})` : ''}`;
        if (trigger === 'officer.return')
          // Another officer's live claim on the parcel refuses it as it refuses a decision (docs/console.md).
          await recordOfficerDecision(ctx, this.clearance, c.id, { action: 'return', reason }, claimCheck);
        else
          await recordCarrierEvent(ctx, this.clearance, c.id, {
            type: input.kind === 'refused' ? 'refused' : 'returned',
            at,
            reason,
          });
      } catch (e) {
        // The parcel moved meanwhile: take the return (and its claim on the items) back so nothing
        // half-written remains.
        await this.undo(ret, written?.version ?? 1, claim);
        throw e;
      }
    }
    return ret;
  }

  /** Takes a return (and its claim on the items) back after its clearance event was refused. */
  private async undo(
    ret: ParcelReturn,
    version: number,
    claim: { doc: ReturnedItems } | undefined,
  ): Promise<void> {
    const id = ret.consignmentId;
    await this.store.write([
      { collection: C, id: ret.id, doc: null, remove: true, expectVersion: version },
      claim
        ? { collection: claimCollection, id, ref: id, doc: claim.doc }
        : { collection: claimCollection, id, doc: null, remove: true },
    ]);
  }

  async get(id: string): Promise<{ doc: ParcelReturn; version: number }> {
    const d = await this.store.get<ParcelReturn>(C, id);
    if (!d) throw new ParcelgateError('return.not-found', `no return ${id}`, 404);
    return { doc: d.doc, version: d.version };
  }

  /** Re-export, refund claim, decision, payment or closing. */
  async act(id: string, a: ReturnActionInput, actor: string, now: string): Promise<ParcelReturn> {
    const { doc, version } = await this.get(id);
    const next = applyReturnAction(doc, a.at === undefined ? a : { ...a, at: utc(a.at) }, actor, now);
    await this.store.write([
      {
        collection: C,
        id,
        owner: doc.sellerOperatorId,
        ref: doc.consignmentId,
        at: doc.registeredAt,
        doc: next,
        expectVersion: version,
      },
    ]);
    return next;
  }

  /** Returns of a consignment, or registered in `[from, to)`. */
  async list(q: {
    consignmentId?: string;
    from?: string;
    to?: string;
    limit?: number;
  }): Promise<ParcelReturn[]> {
    const docs = await this.store.find<ParcelReturn>({
      collection: C,
      ...(q.consignmentId ? { ref: q.consignmentId } : {}),
      ...(q.from ? { atFrom: q.from } : {}),
      ...(q.to ? { atTo: q.to } : {}),
      ...(q.limit ? { limit: q.limit } : {}),
    });
    return docs.map((d) => d.doc);
  }

  /** Counts and repayable totals by platform, seller, reason and kind for returns registered in `[from, to)`. */
  async stats(from: string, to: string): Promise<ReturnStats> {
    return returnStats(await this.list({ from, to }));
  }
}

/** Groups returns by platform, seller, reason and kind, summing repayable amounts per currency exactly. */
export function returnStats(returns: readonly ParcelReturn[]): ReturnStats {
  const by: Record<string, Record<string, { returns: number; repayable: Record<string, Decimal> }>> = {
    platform: {},
    seller: {},
    reason: {},
    kind: {},
  };
  /** Decimal places per currency, as the refund positions state them (2 for EUR, 0 for JPY). */
  const places: Record<string, number> = {};
  for (const r of returns) {
    const keys: Record<string, string> = {
      platform: r.platformId ?? '(none)',
      seller: r.sellerKey ?? '(none)',
      reason: r.reason,
      kind: r.kind,
    };
    for (const [dim, key] of Object.entries(keys)) {
      const row = (by[dim]![key] ??= { returns: 0, repayable: {} });
      row.returns += 1;
      const cur = r.refund.currency;
      row.repayable[cur] = (row.repayable[cur] ?? new Decimal(0)).plus(r.refund.repayable);
      places[cur] = Math.max(places[cur] ?? 0, r.refund.repayable.split('.')[1]?.length ?? 0);
    }
  }
  const out: ReturnStats['by'] = {};
  for (const [dim, rows] of Object.entries(by)) {
    out[dim] = Object.fromEntries(
      Object.entries(rows).map(([k, v]) => [
        k,
        {
          returns: v.returns,
          repayable: Object.fromEntries(
            Object.entries(v.repayable).map(([c, d]) => [c, d.toFixed(places[c] ?? 0)]),
          ),
        },
      ]),
    );
  }
  return { total: returns.length, by: out };
}
