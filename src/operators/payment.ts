/**
 * Deferred (periodic) payment, the account-based payment of duties and taxes the FoS expects for
 * trusted operators (REFERENCE.md §1, Standard 5; §5.1 "easier access to simplifications"; §5.3
 * "deferred/periodic payment"). When the submitter's own status grants it, what a consignment owes at
 * the border is not payable per consignment before release: the assessment says so (`payment`), the
 * customs response is a plain RELEASE, and the amount is booked to the submitter's account when the
 * consignment is released, to be paid on the period's statement. A parcel that goes back undelivered
 * (refused, undeliverable, returned by customs) after its debit is credited in the period of the
 * return; one sent back after delivery is repaid only through its return's refund claim. Exact
 * decimals; every event counts once.
 */
import { Decimal } from 'decimal.js';
import type { PaymentFallback, PaymentTerms, RevenueAssessment } from '../domain/index.js';
import { ParcelgateError } from '../domain/index.js';
import type { FeedEvent, RegistryStore, RegistryWrite } from '../registry/index.js';
import type { ClearanceStore } from '../store/index.js';
import { itemsReturnedEvent } from '../clearance/transitions.js';
import { advanceCursor, initialCursor, type CursorState } from './event-cursor.js';
import { addUtilised, emptyGuarantee, guaranteeCollection, type GuaranteeRecord } from './guarantee.js';
import { defaultFacilitationPolicy, facilitationFor, type FacilitationPolicy } from './facilitation.js';
import type { TrustIndex } from './trust-index.js';
import { effectiveAt } from './status.js';

/** Terms of a consignment: deferred when the submitter's own facilitation grants it and something is due at the border. */
export function paymentTermsFor(
  trust: TrustIndex,
  submitterId: string | undefined,
  revenue: Pick<RevenueAssessment, 'collectionModel' | 'dueAtBorder'>,
  at: string,
  policy: FacilitationPolicy = defaultFacilitationPolicy,
): PaymentTerms | undefined {
  // The operator that presents the parcel and pays at the border is the submitter (the API key's
  // operator): another party named in the data cannot put a charge on someone else's account.
  if (submitterId === undefined || trust.get(submitterId) === undefined) return undefined;
  if (revenue.collectionModel !== 'border' || !new Decimal(revenue.dueAtBorder).gt(0)) return undefined;
  const f = facilitationFor(trust, submitterId, at, policy);
  const basis = f.basis.find((b) => b.operatorId === submitterId);
  if (!f.deferredPayment || !basis?.level || !basis.statusId) return undefined;
  return { mode: 'deferred', account: submitterId, level: basis.level, statusId: basis.statusId };
}

/**
 * Deferred terms fixed at assessment, checked again when the amount becomes payable (a release): undefined
 * while the account's own status still grants deferred payment at `at`; otherwise the fallback
 * (`status-not-in-force`) that makes the parcel payable at the border. A status suspended, withdrawn or
 * expired between assessment and release no longer defers (REFERENCE.md §5.3: facilitation follows the
 * status in force).
 */
export function deferralLapse(
  trust: TrustIndex,
  terms: PaymentTerms,
  revenue: Pick<RevenueAssessment, 'collectionModel' | 'dueAtBorder' | 'currency'>,
  at: string,
  policy: FacilitationPolicy = defaultFacilitationPolicy,
): PaymentFallback | undefined {
  if (paymentTermsFor(trust, terms.account, revenue, at, policy) !== undefined) return undefined;
  const status = trust.get(terms.account)?.statuses.find((s) => s.id === terms.statusId);
  const state = status === undefined ? 'no longer registered' : effectiveAt(status, at);
  return {
    account: terms.account,
    code: 'status-not-in-force',
    reason: `Deferred payment no longer applies: the ${terms.level} status of account ${terms.account} is ${state} at release; the ${revenue.dueAtBorder} ${revenue.currency} due is payable at the border.`,
    amount: revenue.dueAtBorder,
    currency: revenue.currency,
  };
}

/** One booking on an operator's account. */
export interface AccountEntry {
  consignmentId: string;
  kind: 'debit' | 'credit';
  /** Positive for a debit, negative for a credit. */
  amount: string;
  currency: string;
  jurisdiction: string;
  /** When the release (debit) or return (credit) happened. */
  at: string;
  /** `YYYY-MM` of `at` (UTC): the statement the entry is on. */
  period: string;
  eventSeq: number;
}

/** A period's statement of one operator's account. */
export interface AccountStatement {
  operatorId: string;
  period: string;
  /** Payment date: the `dueDay` of the month after the period. */
  dueBy: string;
  totals: {
    currency: string;
    debits: string;
    credits: string;
    net: string;
    entries: number;
    /** What settlements of the period paid (`0` when none). */
    settled: string;
    /** `net` − `settled`: still to pay; negative when settlements paid more than the period now nets (overpaid, owed back to the operator). */
    outstanding: string;
  }[];
  entries: AccountEntry[];
}

const C = { entry: 'payment-entry', cursor: 'cursor' } as const;

/** The item indexes an items-returned event names. */
const itemsOf = (data: Record<string, unknown> | undefined): number[] =>
  Array.isArray(data?.items)
    ? (data.items as unknown[]).filter((i): i is number => typeof i === 'number')
    : [];
const cursorId = 'payments';
const releaseStates: ReadonlySet<string> = new Set(['released-before-arrival', 'released']);
const periodPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Checks a `YYYY-MM` period. */
export function checkPeriod(period: string): string {
  if (!periodPattern.test(period))
    throw new ParcelgateError('account.invalid-period', `period must be YYYY-MM, got '${period}'`, 400, {
      path: '/period',
    });
  return period;
}

/** The payment date of a period: day `dueDay` of the following month. */
export function dueDate(period: string, dueDay: number): string {
  const [y, m] = checkPeriod(period).split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return `${next}-${String(dueDay).padStart(2, '0')}`;
}

/** Deferred-payment accounts over the registry store, booked from the clearance event log. */
export class PaymentAccounts {
  private following: Promise<number> | undefined;

  constructor(
    private readonly store: RegistryStore,
    private readonly clearance: ClearanceStore,
    private readonly opts: { dueDay?: number; gapGraceMs?: number } = {},
  ) {}

  /** Books releases and returns of deferred consignments after the stored cursor; returns the entries written. */
  async follow(now: () => Date, batch = 2000): Promise<number> {
    if (this.following) return this.following;
    this.following = this.run(now, batch).finally(() => {
      this.following = undefined;
    });
    return this.following;
  }

  private async run(now: () => Date, batch: number): Promise<number> {
    const grace = this.opts.gapGraceMs ?? (this.store.kind === 'postgres' ? 60_000 : 0);
    let written = 0;
    for (;;) {
      const cur = await this.store.get<CursorState>(C.cursor, cursorId);
      const state = cur?.doc ?? initialCursor();
      const events = await this.store.clearanceEventsSince(state.frontier, batch);
      const { process, state: next } = advanceCursor(state, events, now().getTime(), grace);
      // A return after delivery (from 'released') is not credited: the tax was owed and collected, and
      // customs repays it on the return's refund claim (re-export, time limit, refundable types); a
      // credit as well would repay it twice. Only a parcel that went back undelivered is credited.
      // A partial return of an undelivered parcel credits the lines of the items that went back.
      const relevant = process.filter(
        (e) =>
          (e.to !== null && (releaseStates.has(e.to) || (e.to === 'returned' && e.from !== 'released'))) ||
          (e.type === itemsReturnedEvent && e.data?.state !== 'released'),
      );
      const writes: RegistryWrite[] = [];
      const booked = new Map<string, AccountEntry>();
      for (const e of relevant) {
        const entry = await this.entryFor(e, booked);
        if (!entry) continue;
        booked.set(entry.key, entry.doc);
        writes.push({
          collection: C.entry,
          id: entry.key,
          owner: entry.account,
          ref: entry.period,
          at: entry.at,
          doc: entry.doc,
          expectVersion: 0,
        });
      }
      // The guarantee's utilisation moves in the same write as the entries (UCC Art. 110: what is
      // deferred and unpaid is what the guarantee must cover).
      const byAccount = new Map<string, AccountEntry[]>();
      for (const w of writes) {
        const doc = w.doc as AccountEntry;
        const list = byAccount.get(w.owner as string) ?? [];
        list.push(doc);
        byAccount.set(w.owner as string, list);
      }
      for (const [account, list] of byAccount) {
        const g = await this.store.get<GuaranteeRecord>(guaranteeCollection, account);
        let rec = g?.doc ?? emptyGuarantee(account);
        for (const x of list) rec = addUtilised(rec, x.currency, x.amount);
        writes.push({
          collection: guaranteeCollection,
          id: account,
          owner: account,
          doc: rec,
          expectVersion: g?.version ?? 0,
        });
      }
      writes.push({ collection: C.cursor, id: cursorId, doc: next, expectVersion: cur?.version ?? 0 });
      if (process.length > 0 || next.frontier !== state.frontier) await this.store.write(writes);
      written += writes.length - 1 - byAccount.size;
      if (events.length < batch) return written;
    }
  }

  private async entryFor(
    e: FeedEvent,
    booked: Map<string, AccountEntry>,
  ): Promise<
    | {
        key: string;
        consignmentId: string;
        kind: 'debit' | 'credit';
        account: string;
        period: string;
        at: string;
        doc: AccountEntry;
      }
    | undefined
  > {
    const partial = e.type === itemsReturnedEvent ? itemsOf(e.data) : undefined;
    const kind = e.to === 'returned' || partial !== undefined ? 'credit' : 'debit';
    const key = `${e.consignmentId}:${kind}${partial ? `:items:${partial.join(',')}` : ''}`;
    if (booked.has(key) || (await this.store.get(C.entry, key))) return undefined;
    let debit: AccountEntry | undefined;
    if (kind === 'credit') {
      debit =
        booked.get(`${e.consignmentId}:debit`) ??
        (await this.store.get<AccountEntry>(C.entry, `${e.consignmentId}:debit`))?.doc;
      if (!debit) return undefined; // never booked (not deferred, or returned before release)
    }
    const c = await this.clearance.get(e.consignmentId);
    const terms = c?.assessment.payment;
    if (!c || !terms) return undefined;
    const period = e.at.slice(0, 7);
    const rev = c.assessment.revenue;
    const places = rev.dueAtBorder.split('.')[1]?.length ?? 0;
    // Border lines of items partial returns took back (item lines only: the whole parcel's lines go
    // with the return of the rest); the return of the rest credits what the debit has left.
    const borderOf = (items: readonly number[]) => {
      const set = new Set(items);
      return rev.lines
        .filter((l) => l.collectedBy === 'border' && l.itemIndex !== undefined && set.has(l.itemIndex))
        .reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
    };
    const credit =
      partial !== undefined
        ? Decimal.min(borderOf(partial), new Decimal(debit!.amount))
        : new Decimal(debit?.amount ?? 0).minus(borderOf(c.returnedItems ?? []));
    if (kind === 'credit' && !credit.gt(0)) return undefined;
    const doc: AccountEntry = {
      consignmentId: c.id,
      kind,
      amount: kind === 'debit' ? rev.dueAtBorder : credit.neg().toFixed(places),
      currency: c.assessment.revenue.currency,
      jurisdiction: c.assessment.revenue.jurisdiction,
      at: e.at,
      period,
      eventSeq: e.seq,
    };
    return { key, consignmentId: c.id, kind, account: terms.account, period, at: e.at, doc };
  }

  /** An operator's statement for a period: entries and exact totals per currency. */
  async statement(operatorId: string, period: string): Promise<AccountStatement> {
    checkPeriod(period);
    const entries = (
      await this.store.find<AccountEntry>({ collection: C.entry, owner: operatorId, ref: period })
    ).map((d) => d.doc);
    entries.sort((a, b) => a.at.localeCompare(b.at) || a.eventSeq - b.eventSeq);
    const paid =
      (await this.store.get<GuaranteeRecord>(guaranteeCollection, operatorId))?.doc.settled[period] ?? {};
    const by = new Map<string, { debits: Decimal; credits: Decimal; entries: number; places: number }>();
    for (const x of entries) {
      const t = by.get(x.currency) ?? {
        debits: new Decimal(0),
        credits: new Decimal(0),
        entries: 0,
        places: 0,
      };
      t.places = Math.max(
        t.places,
        x.amount.split('.')[1]?.length ?? 0,
        paid[x.currency]?.split('.')[1]?.length ?? 0,
      );
      const v = new Decimal(x.amount);
      if (x.kind === 'debit') t.debits = t.debits.plus(v);
      else t.credits = t.credits.plus(v.neg());
      t.entries += 1;
      by.set(x.currency, t);
    }
    return {
      operatorId,
      period,
      dueBy: dueDate(period, this.opts.dueDay ?? 16),
      totals: [...by]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, t]) => ({
          currency,
          debits: t.debits.toFixed(t.places),
          credits: t.credits.toFixed(t.places),
          net: t.debits.minus(t.credits).toFixed(t.places),
          entries: t.entries,
          settled: new Decimal(paid[currency] ?? 0).toFixed(t.places),
          outstanding: t.debits
            .minus(t.credits)
            .minus(paid[currency] ?? 0)
            .toFixed(t.places),
        })),
      entries,
    };
  }

  /** An account's guarantee record (an empty one when nothing was registered or booked yet). */
  async guarantee(operatorId: string): Promise<GuaranteeRecord> {
    return (
      (await this.store.get<GuaranteeRecord>(guaranteeCollection, operatorId))?.doc ??
      emptyGuarantee(operatorId)
    );
  }

  /**
   * Registers (or replaces) an account's guarantee. The currency may change only while nothing is in
   * use in the old one (`guarantee.currency-in-use`); lowering the amount below what is in use is
   * allowed (new parcels then pay at the border until settlements free enough).
   */
  async setGuarantee(
    operatorId: string,
    input: { amount: string; currency: string },
    actor: string,
    now: string,
    attempt = 1,
  ): Promise<GuaranteeRecord> {
    const g = await this.store.get<GuaranteeRecord>(guaranteeCollection, operatorId);
    const rec = g?.doc ?? emptyGuarantee(operatorId);
    if (
      rec.currency !== undefined &&
      rec.currency !== input.currency &&
      !new Decimal(rec.utilised[rec.currency] ?? 0).isZero()
    )
      throw new ParcelgateError(
        'guarantee.currency-in-use',
        `account ${operatorId} has ${rec.utilised[rec.currency]} ${rec.currency} deferred and unsettled: the guarantee's currency cannot change until it is settled`,
        409,
        { path: '/currency', currency: rec.currency, utilised: rec.utilised[rec.currency] },
      );
    const next: GuaranteeRecord = {
      ...rec,
      amount: input.amount,
      currency: input.currency,
      setAt: now,
      setBy: actor,
    };
    const written = await this.writeGuarantee(next, g?.version ?? 0, attempt);
    return written ? next : this.setGuarantee(operatorId, input, actor, now, attempt + 1);
  }

  /**
   * Writes a guarantee record over the version it was read at: false when another write came first
   * and the caller should read again (`registry.conflict` is thrown after the fifth attempt).
   */
  private async writeGuarantee(
    rec: GuaranteeRecord,
    expectVersion: number,
    attempt: number,
  ): Promise<boolean> {
    try {
      await this.store.write([
        {
          collection: guaranteeCollection,
          id: rec.operatorId,
          owner: rec.operatorId,
          doc: rec,
          expectVersion,
        },
      ]);
      return true;
    } catch (e) {
      if (e instanceof ParcelgateError && e.code === 'registry.conflict' && attempt < 5) return false;
      throw e;
    }
  }

  /**
   * Records the payment of a period's statement: what it states net (per currency), less what earlier
   * settlements of the period paid, leaves the guarantee's utilisation. Only a period that has ended at
   * `now` (`account.period-not-ended`, 409, `/period`). `account.nothing-to-settle`
   * (409) when nothing of the period is left to pay.
   */
  async settle(
    operatorId: string,
    period: string,
    now: string,
    attempt = 1,
  ): Promise<{
    operatorId: string;
    period: string;
    paid: Record<string, string>;
    guarantee: GuaranteeRecord;
  }> {
    // A month still running can take more entries (credits too): settled now, its statement could end
    // below what was paid and the guarantee's utilisation below zero.
    const current = new Date(now).toISOString().slice(0, 7);
    if (checkPeriod(period) >= current)
      throw new ParcelgateError(
        'account.period-not-ended',
        `the ${period} statement of ${operatorId} cannot be settled before the period has ended (it is ${current} now): settle it from the 1st of the following month`,
        409,
        { path: '/period', period, current },
      );
    const st = await this.statement(operatorId, period);
    const g = await this.store.get<GuaranteeRecord>(guaranteeCollection, operatorId);
    let rec = g?.doc ?? emptyGuarantee(operatorId);
    const paid: Record<string, string> = {};
    const settled = { ...(rec.settled[period] ?? {}) };
    for (const t of st.totals) {
      const left = new Decimal(t.net).minus(settled[t.currency] ?? 0);
      if (left.isZero()) continue;
      paid[t.currency] = left.toFixed(t.net.split('.')[1]?.length ?? 0);
      rec = addUtilised(rec, t.currency, left.neg().toFixed());
      settled[t.currency] = t.net;
    }
    if (Object.keys(paid).length === 0)
      throw new ParcelgateError(
        'account.nothing-to-settle',
        `the ${period} statement of ${operatorId} has nothing left to settle`,
        409,
        { path: '/period', period },
      );
    rec = { ...rec, settled: { ...rec.settled, [period]: settled } };
    if (!(await this.writeGuarantee(rec, g?.version ?? 0, attempt)))
      return this.settle(operatorId, period, now, attempt + 1);
    return { operatorId, period, paid, guarantee: rec };
  }

  /** The periods an operator's account has entries in, newest first. */
  async periods(operatorId: string): Promise<string[]> {
    const docs = await this.store.find<AccountEntry>({ collection: C.entry, owner: operatorId });
    return [...new Set(docs.map((d) => d.doc.period))].sort().reverse();
  }
}
