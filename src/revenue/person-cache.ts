/**
 * The per-person view the pipeline reads (China ¥26,000 a year, Korea/US same-day totals), bounded: the
 * entries of at most `maxPersons` persons and `maxEntries` entries are held in memory (least recently
 * used person dropped first); the rest stay in the revenue ledger's `revenue_person_imports`.
 *
 * - Before a batch is assessed, `prefetch` loads the persons of the batch's records that are not held
 *   completely, in one store read (`PersonImportSource.personImportsOf`), and pins them until the batch
 *   is done, so every synchronous read of the assessment sees what the unbounded view would.
 * - A re-assessment can read a person its record does not name (a payment or a lower-precedence source
 *   adds to a parcel whose consignee comes from the stored sources). Such a read is a miss:
 *   `takeMisses` reports it, and the store wrapper of the revenue runtime (src/clearance/person-loads.ts)
 *   then loads those persons and plans the transaction again, before anything is written.
 * - What an assessment notes stays held until the ledger has written it (`add` or `remove` from the
 *   ledger round after its write): only then can the person be dropped and read back whole.
 *
 * The unbounded `PersonHistory` held every entry of the year: memory grew with the number of persons
 * (673 bytes an entry, docs/performance.md "Soak"). Here it is bounded by the sizes, whatever the traffic.
 */
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import { pinAndLoad } from '../domain/pinned-loads.js';
import type { RevenueContext } from './assess-revenue.js';
import type { AssessOptions } from './generic-profile.js';
import { personKeyOf, type PersonImport, type PersonTotals } from './ledger.js';
import { amount, type Amount } from './money.js';
import {
  countsForTheYear,
  PERSON_VIEW_GRACE_DAYS,
  personEntryOf,
  personHistoryOptions,
  personQueryOf,
  sumPersonEntries,
  personRegime,
  personThreshold,
  viewCutoffs,
  type PersonHistoryPort,
} from './person-history.js';

/** Where person entries not held in memory are read from (the revenue ledger). */
export interface PersonImportSource {
  /** The entries of these person keys (every jurisdiction) dated on or after `since`. */
  personImportsOf(personKeys: readonly string[], since: string): Promise<PersonImport[]>;
}

/** Options of BoundedPersonHistory. */
export interface BoundedPersonOptions {
  /**
   * Most persons held (default 20,000). A batch's persons are pinned from its prefetch to its release,
   * so they are not dropped while it is assessed, whatever the bound.
   */
  maxPersons?: number;
  /** Most entries held (default 100,000: about 30 MB, docs/performance.md). */
  maxEntries?: number;
  /**
   * Most entries noted and not yet written by the ledger that keep their persons in memory beyond the
   * bounds (default `maxEntries`). Normally the ledger writes them within a round; more means writes that
   * will not come (failed commits), and the least recently used of those persons are then dropped.
   */
  maxUnsaved?: number;
  /** Today, for what a load keeps (as `prune` would): default the system clock. */
  clock?: () => string;
  /** Days before today whose relevant dates the view serves (default PERSON_VIEW_GRACE_DAYS). */
  graceDays?: number;
}

interface Held {
  /** `jurisdiction|currency`: the totals of one jurisdiction and currency add up. */
  readonly scope: string;
  readonly date: string;
  readonly value: Amount;
  /** The entry counts toward a per-person-year limit (China); else only same-day totals read it. */
  readonly yearly: boolean;
}

interface Person {
  readonly entries: Map<string, Held>;
  /** Every stored entry the view serves was loaded (else: only what reached this process since). */
  complete: boolean;
  /** Entries noted here and not yet written by the ledger: the person is not dropped before. */
  unsaved: number;
  /** Batches in flight that read this person: it is not dropped before they are released. */
  pins: number;
}

const text = (v: unknown): string | undefined | null =>
  v === undefined ? undefined : typeof v === 'string' ? v.trim() : null;

/**
 * The person key of a raw (not yet validated) record, as `personKeyOf` gives it for the validated
 * record (validation trims strings and upper-cases the id type and the country); else undefined.
 */
export function personKeyOfRecord(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const c = (raw as { consignee?: unknown }).consignee;
  if (typeof c !== 'object' || c === null) return undefined;
  const { name, address, id } = c as { name?: unknown; address?: unknown; id?: unknown };
  if (typeof address !== 'object' || address === null) return undefined;
  const { postcode, country } = address as { postcode?: unknown; country?: unknown };
  const n = text(name);
  const pc = text(postcode);
  const cc = text(country);
  if (n === null || pc === null || typeof cc !== 'string') return undefined;
  let party: ConsignmentInput['consignee'];
  if (id !== undefined) {
    if (typeof id !== 'object' || id === null) return undefined;
    const { type, value } = id as { type?: unknown; value?: unknown };
    if (typeof type !== 'string' || typeof value !== 'string') return undefined;
    party = {
      address: { country: cc.toUpperCase() },
      id: { type: type.trim().toUpperCase(), value: value.trim() },
    } as ConsignmentInput['consignee'];
  } else {
    party = {
      ...(n === undefined ? {} : { name: n }),
      address: { country: cc.toUpperCase(), ...(pc === undefined ? {} : { postcode: pc }) },
    } as ConsignmentInput['consignee'];
  }
  return personKeyOf({ consignee: party } as ConsignmentInput);
}

/**
 * The relevant date of a raw record as `relevantDate` gives it for the validated record (validation
 * only trims `dates.expectedArrival`), with `now` the assessment instant: the declared expected
 * arrival, never before the lodging date.
 */
function relevantDateOfRecord(raw: object, now: string): string {
  const d = (raw as { dates?: unknown }).dates;
  const arrival =
    typeof d === 'object' && d !== null ? (d as { expectedArrival?: unknown }).expectedArrival : undefined;
  const lodged = now.slice(0, 10);
  if (typeof arrival !== 'string') return lodged;
  const expected = arrival.trim().slice(0, 10);
  return expected > lodged ? expected : lodged;
}

/** The destination country of a raw record as validation normalises it, else undefined. */
function destinationOfRecord(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = (raw as { routing?: unknown }).routing;
  if (typeof r !== 'object' || r === null) return undefined;
  const d = (r as { destinationCountry?: unknown }).destinationCountry;
  return typeof d === 'string' ? d.trim().toUpperCase() : undefined;
}

/** A per-person view bounded by persons and entries, backed by the ledger (see the module comment). */
export class BoundedPersonHistory implements PersonHistoryPort {
  private readonly persons = new Map<string, Person>();
  // Consignment id -> person key of every entry held.
  private readonly keyOf = new Map<string, string>();
  // Entries noted and not yet written by the ledger (consignment id -> person key).
  private readonly pending = new Map<string, string>();
  // Consignment ids changed while a load was in flight (one set per load): its rows for them are stale.
  private readonly loading = new Set<Set<string>>();
  // Whether a country's profile has a per-person limit in any of its regimes, and on a date.
  private readonly limited = new Map<string, boolean>();
  private readonly limitedOn = new Map<string, boolean>();
  private readonly scopes = new Map<string, string>();
  private readonly missed = new Set<string>();
  private readonly clock: () => string;
  private readonly graceDays: number;
  private prunedFrom: string | undefined;
  private held = 0;
  readonly maxPersons: number;
  readonly maxEntries: number;
  readonly maxUnsaved: number;
  /** Reads of a person not loaded (answered from memory only). */
  misses = 0;
  /** Persons loaded from the store. */
  loads = 0;
  /** Store reads (one per batch whose persons were not all held). */
  reads = 0;

  constructor(
    private readonly ctx: RevenueContext,
    private readonly source: PersonImportSource,
    opts: BoundedPersonOptions = {},
  ) {
    this.maxPersons = opts.maxPersons ?? 20_000;
    this.maxEntries = opts.maxEntries ?? 100_000;
    if (!(this.maxPersons >= 1)) throw new Error('maxPersons must be at least 1');
    if (!(this.maxEntries >= 1)) throw new Error('maxEntries must be at least 1');
    this.maxUnsaved = opts.maxUnsaved ?? this.maxEntries;
    this.clock = opts.clock ?? (() => new Date().toISOString());
    this.graceDays = opts.graceDays ?? PERSON_VIEW_GRACE_DAYS;
  }

  /** Entries held. */
  get size(): number {
    return this.held;
  }

  /** Persons held. */
  get personCount(): number {
    return this.persons.size;
  }

  /** Whether a person is held in memory (completely or not). */
  holds(personKey: string): boolean {
    return this.persons.has(personKey);
  }

  /** Whether records to `country` can count toward a per-person limit (some regime of its profile has one). */
  private limitedCountry(country: string): boolean {
    let v = this.limited.get(country);
    if (v === undefined) {
      const profile = this.ctx.byCountry.get(country);
      v = profile !== undefined && profile.raw.regimes.some((r) => personThreshold(r) !== undefined);
      this.limited.set(country, v);
    }
    return v;
  }

  /** Whether a record to `country` with this relevant date is assessed under a per-person limit. */
  private limitedCountryOn(country: string, date: string): boolean {
    const k = `${country}|${date}`;
    let v = this.limitedOn.get(k);
    if (v === undefined) {
      const profile = this.ctx.byCountry.get(country);
      v = profile !== undefined && personRegime(profile, date) !== undefined;
      if (this.limitedOn.size >= 4096) this.limitedOn.clear();
      this.limitedOn.set(k, v);
    }
    return v;
  }

  /**
   * Loads the persons of `records` (raw submitted records) assessed under a per-person limit (their
   * destination's regime on their relevant date has one) that are not held completely, in one store
   * read, and pins them until the returned release is called. `now` is the batch's instant.
   */
  prefetch(records: readonly unknown[], now: string): Promise<() => void> {
    let keys: Set<string> | undefined;
    for (const r of records) {
      const to = destinationOfRecord(r);
      if (to === undefined || !this.limitedCountry(to)) continue;
      if (!this.limitedCountryOn(to, relevantDateOfRecord(r as object, now))) continue;
      const key = personKeyOfRecord(r);
      if (key !== undefined) (keys ??= new Set()).add(key);
    }
    return keys === undefined ? Promise.resolve(noop) : this.hold(keys);
  }

  /** Loads these persons (those not held completely) and pins them until the returned release is called. */
  async hold(personKeys: Iterable<string>): Promise<() => void> {
    return pinAndLoad(personKeys, {
      take: (key) => {
        let p = this.persons.get(key);
        if (p === undefined) this.persons.set(key, (p = person()));
        else this.touch(key, p);
        return p;
      },
      get: (key) => this.persons.get(key),
      load: (want) => this.load(want),
      trim: () => this.trim(),
    });
  }

  private async load(keys: readonly string[]): Promise<void> {
    const cut = viewCutoffs(this.clock(), this.graceDays);
    const changed = new Set<string>();
    this.loading.add(changed);
    let rows: PersonImport[];
    try {
      this.reads += 1;
      rows = await this.source.personImportsOf(keys, cut.year);
    } finally {
      this.loading.delete(changed);
    }
    const byKey = new Map<string, PersonImport[]>();
    for (const row of rows) {
      const list = byKey.get(row.personKey);
      if (list === undefined) byKey.set(row.personKey, [row]);
      else list.push(row);
    }
    for (const key of keys) {
      const p = this.persons.get(key);
      // Loaded meanwhile by another batch (or, unpinned, dropped: nothing to fill).
      if (p === undefined || p.complete) continue;
      for (const row of byKey.get(key) ?? []) {
        // What this process holds is as new as the store, or newer; a row changed meanwhile is stale.
        if (this.keyOf.has(row.consignmentId) || changed.has(row.consignmentId)) continue;
        const yearly = countsForTheYear(this.ctx, row.jurisdiction, row.date);
        // What `prune` drops is not loaded either.
        if (row.date < (yearly ? cut.year : cut.day)) continue;
        this.put(key, p, row.consignmentId, row, yearly);
      }
      p.complete = true;
      this.loads += 1;
    }
  }

  private scopeOf(jurisdiction: string, currency: string): string {
    const s = `${jurisdiction}|${currency}`;
    let held = this.scopes.get(s);
    if (held === undefined) this.scopes.set(s, (held = s));
    return held;
  }

  private put(key: string, p: Person, id: string, e: PersonImport, yearly: boolean): void {
    p.entries.set(id, {
      scope: this.scopeOf(e.jurisdiction, e.currency),
      date: e.date,
      value: amount(e.amount),
      yearly,
    });
    this.keyOf.set(id, key);
    this.held += 1;
  }

  private changed(id: string): void {
    for (const s of this.loading) s.add(id);
  }

  /** Drops a consignment's entry from memory; true when it was noted and not yet written. */
  private drop(id: string): void {
    const pendingKey = this.pending.get(id);
    if (pendingKey !== undefined) {
      this.pending.delete(id);
      const q = this.persons.get(pendingKey);
      if (q !== undefined) q.unsaved -= 1;
    }
    const key = this.keyOf.get(id);
    if (key === undefined) return;
    this.keyOf.delete(id);
    if (this.persons.get(key)?.entries.delete(id)) this.held -= 1;
  }

  /**
   * A stored (written by the ledger) entry: replaces what is held for the consignment. A person not held
   * is left to the store, which has the entry now.
   */
  add(e: PersonImport): void {
    this.changed(e.consignmentId);
    this.drop(e.consignmentId);
    const p = this.persons.get(e.personKey);
    if (p !== undefined)
      this.put(e.personKey, p, e.consignmentId, e, countsForTheYear(this.ctx, e.jurisdiction, e.date));
  }

  /** Drops a consignment's entry (a returned parcel, written by the ledger; or a discarded plan). */
  remove(consignmentId: string): void {
    this.changed(consignmentId);
    this.drop(consignmentId);
  }

  forget(consignmentId: string): void {
    this.remove(consignmentId);
    // A discarded plan's entry was held over the bound until written: it never will be.
    this.trim();
  }

  note(consignmentId: string, input: ConsignmentInput, revenue: RevenueAssessment, at: string): void {
    const e = personEntryOf(this.ctx, consignmentId, input, revenue, at);
    this.changed(consignmentId);
    this.drop(consignmentId);
    if (e === undefined) return;
    let p = this.persons.get(e.personKey);
    if (p === undefined) this.persons.set(e.personKey, (p = person()));
    else this.touch(e.personKey, p);
    this.put(e.personKey, p, consignmentId, e, countsForTheYear(this.ctx, e.jurisdiction, e.date));
    this.pending.set(consignmentId, e.personKey);
    p.unsaved += 1;
    // Dropping over the bound waits for the batch's release or the ledger round: once, not per entry.
  }

  /** Persons read and not loaded since the last call (a re-assessment of a person its record does not name). */
  takeMisses(): string[] {
    if (this.missed.size === 0) return [];
    const out = [...this.missed];
    this.missed.clear();
    return out;
  }

  /**
   * Same-day and year-to-date totals of a person as held in memory (see `PersonHistory.totals`), without
   * `exceptConsignment`.
   */
  totals(
    personKey: string,
    jurisdiction: string,
    date: string,
    currency: string,
    places: number,
    exceptConsignment?: string,
  ): PersonTotals {
    const p = this.persons.get(personKey);
    const scope = `${jurisdiction}|${currency}`;
    return sumPersonEntries(p?.entries ?? [], date, currency, places, exceptConsignment, scope);
  }

  optionsFor(consignmentId: string, input: ConsignmentInput, at: string): AssessOptions | undefined {
    const q = personQueryOf(this.ctx, input, at);
    if (q === undefined) return undefined;
    if (this.persons.get(q.personKey)?.complete !== true) {
      this.misses += 1;
      this.missed.add(q.personKey);
    }
    const t = this.totals(q.personKey, q.jurisdiction, q.date, q.currency, q.places, consignmentId);
    return personHistoryOptions(t, q.currency);
  }

  /**
   * Drops entries no limit looks at any more as of `today` (as `PersonHistory.prune`; the sweep runs
   * when the cut-off day moves, once a day), then persons over the bound.
   */
  prune(today: string): void {
    const cut = viewCutoffs(today, this.graceDays);
    if (cut.day !== this.prunedFrom) {
      this.prunedFrom = cut.day;
      for (const p of this.persons.values())
        for (const [id, h] of p.entries)
          if (h.date < (h.yearly ? cut.year : cut.day)) {
            const pendingKey = this.pending.get(id);
            if (pendingKey !== undefined) {
              this.pending.delete(id);
              p.unsaved -= 1;
            }
            p.entries.delete(id);
            this.keyOf.delete(id);
            this.held -= 1;
          }
    }
    this.trim();
  }

  private touch(key: string, p: Person): void {
    this.persons.delete(key);
    this.persons.set(key, p);
  }

  private over(): boolean {
    return this.persons.size > this.maxPersons || this.held > this.maxEntries;
  }

  /**
   * Drops least recently used persons over the bound, skipping those a batch in flight reads and those
   * with entries the ledger has not written yet (they could not be read back). Writes that never come
   * (failed commits) must not hold memory for ever: beyond `maxUnsaved` such entries, those go too.
   */
  trim(): void {
    if (!this.over()) return;
    for (const [key, p] of this.persons) {
      if (!this.over()) return;
      if (p.pins > 0 || (p.unsaved > 0 && this.pending.size <= this.maxUnsaved)) continue;
      for (const id of p.entries.keys()) {
        this.keyOf.delete(id);
        this.pending.delete(id);
      }
      this.held -= p.entries.size;
      this.persons.delete(key);
    }
  }
}

const noop = (): void => undefined;

const person = (): Person => ({ entries: new Map(), complete: false, unsaved: 0, pins: 0 });
