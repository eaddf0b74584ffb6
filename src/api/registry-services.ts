/**
 * The registry services a server runs beside the clearance pipeline: operators and trust, platform
 * partnership, returns and data quality, on one registry store. Supplies the trust-aware snapshot and
 * follows the clearance event log to keep compliance scores current.
 */
import type { ReferenceSnapshot } from '../clearance/index.js';
import { ParcelgateError, type ConsignmentInput } from '../domain/index.js';
import {
  emptyTrustIndex,
  GuaranteeGate,
  OperatorService,
  PaymentAccounts,
  withRegistry,
  type OperatorServiceOptions,
} from '../operators/index.js';
import { PartnershipService } from '../partnership/index.js';
import type { RegistryStore } from '../registry/index.js';
import { ReturnsService } from '../returns/index.js';
import type { BrandFloor } from '../risk/index.js';
import type { ClearanceStore } from '../store/index.js';

/** The composed services. */
export interface RegistryServices {
  readonly store: RegistryStore;
  readonly operators: OperatorService;
  readonly partnership: PartnershipService;
  readonly returns: ReturnsService;
  /** Deferred-payment accounts: releases and returns of deferred consignments, statements per period. */
  readonly payments: PaymentAccounts;
  /** The deferred-payment guarantees as assessments in this process see them (utilisation and reservations). */
  readonly guarantees: GuaranteeGate;
  /** Wraps a snapshot provider so assessments apply operator trust and registered brands. */
  snapshot(base: () => ReferenceSnapshot): () => ReferenceSnapshot;
  /** Reloads the trust index and brand floors (another process may have changed them). */
  refresh(): Promise<void>;
  /** Processes new clearance events into compliance scores; returns how many. */
  followEvents(): Promise<number>;
  /** Books new releases and returns of deferred consignments to their accounts; returns the entries written. */
  followPayments(): Promise<number>;
  /** Follows events and refreshes every `ms` until close. */
  startFollowing(ms: number, onError?: (e: unknown) => void): void;
  close(): Promise<void>;
}

/** Composes the services on a registry store and the clearance store it reads. */
export async function openRegistryServices(
  store: RegistryStore,
  clearance: ClearanceStore,
  opts: OperatorServiceOptions & {
    clock?: () => Date;
    paymentDueDay?: number;
    /** Deferred payment only under a registered guarantee (default true; docs/operators.md). */
    guaranteeRequired?: boolean;
  } = {},
): Promise<RegistryServices> {
  const clock = opts.clock ?? (() => new Date());
  const operators = new OperatorService(store, opts);
  const partnership = new PartnershipService(store, operators, clearance);
  const returns = new ReturnsService(store, clearance, operators);
  const payments = new PaymentAccounts(store, clearance, {
    ...(opts.paymentDueDay !== undefined ? { dueDay: opts.paymentDueDay } : {}),
    ...(opts.gapGraceMs !== undefined ? { gapGraceMs: opts.gapGraceMs } : {}),
  });
  const guarantees = new GuaranteeGate(store, opts.guaranteeRequired ?? true);
  let brands: { floors: BrandFloor[]; version: string } = { floors: [], version: '' };
  let timer: NodeJS.Timeout | undefined;
  let following: Promise<void> | undefined;
  const refresh = async () => {
    await operators.refresh();
    brands = await partnership.brandFloors(clock().toISOString());
    await guarantees.refresh();
  };
  await refresh();
  const lookup = async (ids: readonly string[]) => {
    const out = new Map<string, ConsignmentInput>();
    for (const id of ids) {
      const c = await clearance.get(id);
      if (c) out.set(id, c.merged);
    }
    return out;
  };
  return {
    store,
    operators,
    partnership,
    returns,
    payments,
    guarantees,
    snapshot(base) {
      let memo:
        { base: ReferenceSnapshot; trust: unknown; brands: string; snap: ReferenceSnapshot } | undefined;
      return () => {
        const b = base();
        const trust = operators.currentIndex() ?? emptyTrustIndex();
        if (!memo || memo.base !== b || memo.trust !== trust || memo.brands !== brands.version) {
          const snap = withRegistry(b, {
            trust,
            policy: operators.policy,
            guarantees,
            ...(brands.floors.length > 0 ? { brands: brands.floors, brandsVersion: brands.version } : {}),
          });
          memo = { base: b, trust, brands: brands.version, snap };
        }
        return memo.snap;
      };
    },
    refresh,
    followEvents: () => operators.followEvents(lookup, clock),
    followPayments: async () => {
      const n = await payments.follow(clock);
      await guarantees.refresh();
      return n;
    },
    startFollowing(ms, onError) {
      // Each step on its own, so one failing does not skip the others for the tick. Several
      // processes of one database follow the same cursors: a pass that loses the race for a cursor
      // (or a score) to another process fails with `registry.conflict` and writes nothing (cursor
      // and counts commit together); the winner did the work and the next tick goes on from there.
      // That is not an error to report: it used to print "compliance follower: ParcelgateError:
      // cursor compliance changed since it was read" every few ticks with two or three servers.
      const steps: (() => Promise<unknown>)[] = [
        () => operators.followEvents(lookup, clock),
        () => payments.follow(clock),
        () => guarantees.refresh(),
        async () => {
          brands = await partnership.brandFloors(clock().toISOString());
        },
      ];
      const tick = async () => {
        for (const step of steps) {
          try {
            await step();
          } catch (e) {
            if (!isLostRace(e)) onError?.(e);
          }
        }
      };
      // One pass at a time: a pass slower than `ms` (a backlog under load) is not joined by more
      // passes over the same events, which would pile up without bound and hold their rows.
      timer = setInterval(() => {
        if (following) return;
        following = tick().finally(() => {
          following = undefined;
        });
      }, ms);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      await following;
      await store.close();
    },
  };
}

/** A follower's write lost to another process's (optimistic concurrency on the registry). */
function isLostRace(e: unknown): boolean {
  return e instanceof ParcelgateError && e.code === 'registry.conflict';
}
