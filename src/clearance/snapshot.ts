/** The immutable reference-data snapshot every assessment reads, and how it is loaded at the edge. */
import type {
  ConsignmentInput,
  PaymentFallback,
  PaymentTerms,
  RevenueAssessment,
  RiskAssessment,
} from '../domain/index.js';
import type { HsNomenclature } from '../reference/index.js';
import type { IntakeDataSet } from '../intake/index.js';
import type { PersonHistoryPort, RevenueContext } from '../revenue/index.js';
import type {
  CompiledRuleSet,
  DescriptionClassifier,
  LaneSelection,
  PartyHistory,
  RecordingHistory,
  ReferencePriceTable,
  Watchlist,
} from '../risk/index.js';

/** Reference data an assessment depends on; `assess` reads nothing else. */
export interface ReferenceSnapshot {
  readonly hs: HsNomenclature;
  readonly revenue: RevenueContext;
  readonly ruleSet: CompiledRuleSet;
  readonly watchlist: Watchlist;
  /** Share of consignments drawn for random control (0..1). */
  readonly randomRate: number;
  /** Seed of the deterministic random draw, so a replay draws the same parcels. */
  readonly randomSeed: string;
  /** Reference unit prices per HS6 learnt from past traffic, for the undervaluation indicator. */
  readonly referencePrices?: ReferencePriceTable;
  /**
   * Adjusts the risk outcome after scoring, e.g. for operator trust (AEO status, compliance score,
   * enforcement history: see src/operators). Must be pure; its data must be part of `version`.
   */
  readonly adjustRisk?: (
    subject: { consignmentId: string; input: ConsignmentInput; submitterId?: string },
    risk: RiskAssessment,
    now: string,
  ) => RiskAssessment;
  /**
   * Payment terms of a consignment, e.g. deferred (periodic) payment granted by the submitter's status
   * (src/operators/payment.ts), or the refusal when the account's guarantee does not cover it
   * (src/operators/guarantee.ts: live state, taken back with `guarantees.forget` for a discarded plan).
   */
  readonly paymentTerms?: (
    subject: { consignmentId: string; input: ConsignmentInput; submitterId?: string },
    revenue: RevenueAssessment,
    now: string,
  ) => PaymentTerms | { fallback: PaymentFallback } | undefined;
  /**
   * Whether deferred terms fixed at assessment still hold when the amount becomes payable (a release):
   * undefined while the account's status still grants deferred payment at `now`, otherwise why not, so
   * the parcel pays at the border (src/operators/payment.ts, docs/operators.md).
   */
  readonly deferralAt?: (
    terms: PaymentTerms,
    revenue: RevenueAssessment,
    now: string,
  ) => PaymentFallback | undefined;
  /**
   * The deferred-payment guarantees' live reservations (noted by `paymentTerms`): what a planned
   * consignment reserves (booked in the batch's transaction, which checks it against every process's
   * reservations), and a reload of the accounts' state when that check found the headroom taken.
   */
  readonly guarantees?: {
    forget(consignmentId: string): void;
    reservationOf(consignmentId: string): { account: string; currency: string; amount: string } | undefined;
    refresh(accounts?: readonly string[]): Promise<void>;
  };
  /**
   * The data set intake requires of a submitter at `now` (e.g. a reduced set granted by AEO status:
   * see src/operators/data-sets.ts); absent or undefined: the built-in requirements.
   */
  readonly intakeDataSet?: (submitterId: string, now: string) => IntakeDataSet | undefined;
  /** HS classifier for the description-vs-HS second opinion (absent: that indicator stays quiet). */
  readonly classifier?: DescriptionClassifier;
  /**
   * Live consignee history (split shipments): read by risk and written by every assessment. The one
   * part of a snapshot that changes; each hit records the parcels and total it saw.
   */
  readonly history?: RecordingHistory;
  /** Inspection history of consignees and sellers, learnt from recorded outcomes (live state). */
  readonly parties?: PartyHistory;
  /** Lanes matched to inspection capacity per office and day (live state, recorded on each assessment). */
  readonly selection?: LaneSelection;
  /**
   * Per-person revenue totals (China's annual limit, same-day thresholds) read before and noted after
   * each assessment (live state; see src/clearance/revenue-runtime.ts).
   */
  readonly persons?: PersonHistoryPort;
  /** Identifies this snapshot's content in every assessment it produces. */
  readonly version: string;
}
