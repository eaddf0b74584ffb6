/**
 * The guarantee behind deferred payment (EU UCC Art. 110–112: payment may be deferred only when a
 * guarantee covers the amounts deferred; docs/operators.md "Guarantee"). Per deferred-payment account:
 * the guarantee amount and currency, its utilisation (debits booked and not yet settled, less credits,
 * kept per currency by `PaymentAccounts` in the same write as the entries), and the settled amount of
 * each period. At assessment `GuaranteeGate` lets a parcel be released on deferred terms only when its
 * amount fits in what the guarantee has left; the others fall back to payment at the border, with the
 * reason. Exact decimals throughout.
 */
import { Decimal } from 'decimal.js';
import type { PaymentFallback, PaymentTerms, RevenueAssessment } from '../domain/index.js';
import {
  ParcelgateError,
  currencyPlaces,
  escapePointerToken,
  type ValidationIssue,
} from '../domain/index.js';
import type { RegistryStore } from '../registry/index.js';

/** The registry collection of guarantee records (one per account, id = operator id). */
export const guaranteeCollection = 'payment-guarantee';

/** A deferred-payment account's guarantee record as stored. */
export interface GuaranteeRecord {
  operatorId: string;
  /** The guarantee amount (absent: none registered yet; utilisation is tracked all the same). */
  amount?: string;
  currency?: string;
  setAt?: string;
  setBy?: string;
  /** Per currency: debits booked, less credits, less what settlements paid. */
  utilised: Record<string, string>;
  /** Per period (`YYYY-MM`) and currency: the net a settlement paid. */
  settled: Record<string, Record<string, string>>;
}

/** The guarantee as the API and CLI show it. */
export interface GuaranteeView {
  operatorId: string;
  amount: string | null;
  currency: string | null;
  /** Booked and not yet settled, in the guarantee currency. */
  utilised: string;
  /** Assessed on deferred terms (by any process) and not yet booked (a release not yet followed). */
  reserved: string;
  /** What the next parcels may defer: amount − utilised − reserved (never below zero nor above the amount). */
  available: string;
  utilisedByCurrency: Record<string, string>;
  settled: Record<string, Record<string, string>>;
  setAt?: string;
  setBy?: string;
}

/** The decimal places amounts in `currency` are written with (ISO 4217 minor units). */
export { currencyPlaces };

const decimalPattern = /^(0|[1-9]\d{0,14})(\.\d+)?$/;

/** Checks a guarantee body: `amount` a non-negative decimal in the currency's minor units, `currency` ISO 4217. */
export function checkGuaranteeInput(body: unknown): { amount: string; currency: string } {
  const issues: ValidationIssue[] = [];
  const b = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<
    string,
    unknown
  >;
  const currency = b.currency;
  const amount = b.amount;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))
    issues.push({
      code: 'guarantee.invalid-currency',
      path: '/currency',
      message: 'currency must be an ISO 4217 code of three capital letters, e.g. EUR',
    });
  if (typeof amount !== 'string' || !decimalPattern.test(amount))
    issues.push({
      code: 'guarantee.invalid-amount',
      path: '/amount',
      message: 'amount must be a non-negative decimal string, e.g. "25000.00" (never a number)',
    });
  else if (typeof currency === 'string' && /^[A-Z]{3}$/.test(currency)) {
    const places = amount.split('.')[1]?.length ?? 0;
    if (places > currencyPlaces(currency))
      issues.push({
        code: 'guarantee.invalid-amount',
        path: '/amount',
        message: `${currency} has ${currencyPlaces(currency)} decimal places; ${amount} has ${places}`,
      });
  }
  // One issue for unexpected fields, however many: a hostile body must not make a long answer.
  const extra = Object.keys(b).filter((k) => k !== 'amount' && k !== 'currency');
  if (extra.length > 0) {
    const first = extra[0]!.slice(0, 64);
    issues.push({
      code: 'guarantee.invalid',
      path: `/${escapePointerToken(first)}`,
      message: `unexpected field ${first}${extra.length > 1 ? ` (and ${extra.length - 1} more)` : ''}: only amount and currency`,
    });
  }
  if (issues.length > 0)
    throw new ParcelgateError(
      'guarantee.invalid',
      issues.map((i) => `${i.path}: ${i.message}`).join('; '),
      400,
      { issues },
    );
  const c = currency as string;
  return { amount: new Decimal(amount as string).toFixed(currencyPlaces(c)), currency: c };
}

/** An empty record for an account. */
export const emptyGuarantee = (operatorId: string): GuaranteeRecord => ({
  operatorId,
  utilised: {},
  settled: {},
});

/** Adds `delta` to a per-currency utilisation (exact; written with the amounts' places). */
export function addUtilised(rec: GuaranteeRecord, currency: string, delta: string): GuaranteeRecord {
  const places = Math.max(currencyPlaces(currency), delta.split('.')[1]?.length ?? 0);
  const next = new Decimal(rec.utilised[currency] ?? 0).plus(delta).toFixed(places);
  return { ...rec, utilised: { ...rec.utilised, [currency]: next } };
}

/** The view of a record, with what is reserved on it. */
export function guaranteeView(rec: GuaranteeRecord, reserved: Decimal = new Decimal(0)): GuaranteeView {
  const currency = rec.currency ?? null;
  const places = currency === null ? 2 : currencyPlaces(currency);
  const utilised = new Decimal(currency === null ? 0 : (rec.utilised[currency] ?? 0));
  const available =
    rec.amount === undefined
      ? new Decimal(0)
      : // Never above the guarantee: a negative utilisation (credits after settlement) is owed back to
        // the operator, not extra headroom.
        Decimal.min(
          new Decimal(rec.amount),
          Decimal.max(0, new Decimal(rec.amount).minus(utilised).minus(reserved)),
        );
  return {
    operatorId: rec.operatorId,
    amount: rec.amount ?? null,
    currency,
    utilised: utilised.toFixed(places),
    reserved: reserved.toFixed(places),
    available: available.toFixed(places),
    utilisedByCurrency: rec.utilised,
    settled: rec.settled,
    ...(rec.setAt !== undefined ? { setAt: rec.setAt } : {}),
    ...(rec.setBy !== undefined ? { setBy: rec.setBy } : {}),
  };
}

/** What a payment-terms hook answers when the guarantee refuses: pay at the border, with the reason. */
export interface GuaranteeRefusal {
  fallback: PaymentFallback;
}

/** A reservation: a parcel assessed on deferred terms whose debit is not booked yet. */
interface Held {
  account: string;
  amount: string;
  currency: string;
}

/**
 * The live guarantee state the assessments of this process read: every account's record (refreshed
 * from the registry), the reservations every process booked in the database and that still count
 * (`guarantee_reservations`, src/store/guarantee-reservations.ts), and the parcels this process
 * assessed on deferred terms and has not committed yet. `reserve` is synchronous, so batches planned
 * at once in this process are serialised; across processes the batch's transaction checks its
 * reservations against the guarantee under a lock and refuses the batch (`guarantee.headroom-taken`)
 * when another process took the headroom, and the pipeline plans it again after `refresh`.
 */
export class GuaranteeGate {
  private records = new Map<string, GuaranteeRecord>();
  private pending = new Map<string, Held>();
  private booked = new Map<string, Held>();

  constructor(
    private readonly store: RegistryStore,
    /** Deferred payment only under a registered guarantee (UCC Art. 110); false: unguaranteed accounts defer freely. */
    private readonly required = true,
  ) {}

  /**
   * Reloads the records (all, or these accounts') and the reservations in the database; drops this
   * process's reservations that are committed (the database holds them now) or whose debit is booked.
   * The reservations are read before the records, so a debit booked meanwhile is counted twice for a
   * moment (reserved and utilised), never not at all.
   */
  async refresh(accounts?: readonly string[]): Promise<void> {
    for (const [id, p] of this.pending) {
      if (accounts !== undefined && !accounts.includes(p.account)) continue;
      if (await this.store.get('payment-entry', `${id}:debit`)) this.pending.delete(id);
    }
    const rows = await this.store.guaranteeReservations(accounts);
    const booked =
      accounts === undefined
        ? new Map<string, Held>()
        : new Map([...this.booked].filter(([, b]) => !accounts.includes(b.account)));
    for (const r of rows) {
      this.pending.delete(r.consignmentId);
      if (!r.settled)
        booked.set(r.consignmentId, { account: r.account, amount: r.amount, currency: r.currency });
    }
    this.booked = booked;
    if (accounts === undefined) {
      const docs = await this.store.find<GuaranteeRecord>({ collection: guaranteeCollection });
      this.records = new Map(docs.map((d) => [d.id, d.doc]));
      return;
    }
    for (const a of accounts) {
      const d = await this.store.get<GuaranteeRecord>(guaranteeCollection, a);
      if (d) this.records.set(a, d.doc);
      else this.records.delete(a);
    }
  }

  /** What is reserved on an account in a currency (every process's, as last read, and this one's), but `except`'s. */
  reservedOn(account: string, currency: string, except?: string): Decimal {
    let sum = new Decimal(0);
    const add = (id: string, p: Held) => {
      if (id !== except && p.account === account && p.currency === currency) sum = sum.plus(p.amount);
    };
    for (const [id, p] of this.pending) add(id, p);
    for (const [id, p] of this.booked) if (!this.pending.has(id)) add(id, p);
    return sum;
  }

  /** What this process reserved for a consignment it assessed on deferred terms (to be booked with it). */
  reservationOf(consignmentId: string): Held | undefined {
    return this.pending.get(consignmentId);
  }

  /** The view of an account's guarantee (from the last refresh). */
  view(account: string): GuaranteeView {
    const rec = this.records.get(account) ?? emptyGuarantee(account);
    return guaranteeView(
      rec,
      rec.currency === undefined ? undefined : this.reservedOn(account, rec.currency),
    );
  }

  /** Deferred terms when the parcel's amount fits in what the account's guarantee has left, else the refusal. */
  reserve(
    terms: PaymentTerms,
    consignmentId: string,
    revenue: Pick<RevenueAssessment, 'dueAtBorder' | 'currency'>,
  ): PaymentTerms | GuaranteeRefusal {
    this.pending.delete(consignmentId);
    const account = terms.account;
    const due = new Decimal(revenue.dueAtBorder);
    const rec = this.records.get(account);
    const refuse = (
      code: PaymentFallback['code'],
      reason: string,
      extra: Partial<PaymentFallback> = {},
    ): GuaranteeRefusal => ({
      fallback: { account, code, reason, amount: revenue.dueAtBorder, currency: revenue.currency, ...extra },
    });
    if (rec?.amount === undefined || rec.currency === undefined) {
      if (!this.required) return terms;
      return refuse(
        'no-guarantee',
        `Deferred payment needs a guarantee and account ${account} has none registered: the ${revenue.dueAtBorder} ${revenue.currency} due is payable at the border.`,
      );
    }
    if (rec.currency !== revenue.currency)
      return refuse(
        'no-guarantee',
        `The deferred-payment guarantee of account ${account} is in ${rec.currency}, this parcel's duties are in ${revenue.currency}: the ${revenue.dueAtBorder} ${revenue.currency} due is payable at the border.`,
      );
    const places = currencyPlaces(rec.currency);
    // A negative utilisation (credits after a settlement: owed back) never adds headroom.
    const used = Decimal.max(0, rec.utilised[rec.currency] ?? 0).plus(
      this.reservedOn(account, rec.currency, consignmentId),
    );
    const left = Decimal.max(0, new Decimal(rec.amount).minus(used));
    if (due.gt(left))
      return refuse(
        'guarantee-exceeded',
        `Deferred payment refused: the guarantee of ${rec.amount} ${rec.currency} for account ${account} has ${left.toFixed(places)} ${rec.currency} left (${used.toFixed(places)} in use); the ${revenue.dueAtBorder} ${rec.currency} due is payable at the border.`,
        { guarantee: rec.amount, utilised: used.toFixed(places) },
      );
    this.pending.set(consignmentId, { account, amount: revenue.dueAtBorder, currency: rec.currency });
    return terms;
  }

  /** Takes back the reservation of a plan that was discarded. */
  forget(consignmentId: string): void {
    this.pending.delete(consignmentId);
  }
}
