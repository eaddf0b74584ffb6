/**
 * The risk store port: what the risk engine keeps between assessments. Rule-set versions (load, list,
 * activate), recent parcels per consignee (split shipments), and inspection outcomes (learning: rule
 * hit rates, reference-price exclusions, consignee and seller compliance history). SQLite and PostgreSQL
 * implement it, in the same database as the clearance store (migration 50).
 */

/** One stored rule-set version. */
export interface RuleSetRecord {
  id: string;
  version: number;
  /** The rule-set document exactly as loaded (JSON). */
  document: unknown;
  loadedAt: string;
  loadedBy: string;
  /** True for the one version the pipeline assesses with. */
  active: boolean;
  /** When this version was last activated, or null if never. */
  activatedAt: string | null;
}

/** One parcel for the consignee history (split shipments): consignee, seller, value in EUR, instant. */
export interface ConsigneeParcelRow {
  consignmentId: string;
  consigneeKey: string;
  sellerKey: string | null;
  /** Intrinsic value in EUR, a decimal text. */
  valueEur: string;
  at: string;
}

/** One inspection outcome: what an officer found on a consignment and which rules had selected it. */
export interface OutcomeRow {
  consignmentId: string;
  /** 'nothing-found', 'undervalued', 'counterfeit', 'prohibited', 'misdescribed', ... */
  finding: string;
  at: string;
  officer: string;
  /** Ids of the rules and indicators that fired on the assessment the inspection followed. */
  ruleIds: string[];
  /** True when the parcel was inspected as part of the random control sample. */
  random: boolean;
  consigneeKey: string | null;
  sellerKey: string | null;
}

/** Compliance history of one party (consignee or seller key). */
export interface PartyRecord {
  inspections: number;
  /** Inspections that found something. */
  findings: number;
}

/** The risk store port. */
export interface RiskStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Stores a rule-set version; 'exists' when the same id and version hold the same document, 'conflict' when another. */
  saveRuleSet(r: {
    id: string;
    version: number;
    document: unknown;
    loadedAt: string;
    loadedBy: string;
  }): Promise<'created' | 'exists' | 'conflict'>;
  /** Every stored version, newest load first. */
  ruleSets(): Promise<RuleSetRecord[]>;
  ruleSet(id: string, version: number): Promise<RuleSetRecord | undefined>;
  /** Makes one stored version the active one; false when it is not stored. */
  activateRuleSet(id: string, version: number, at: string, by: string): Promise<boolean>;
  activeRuleSet(): Promise<RuleSetRecord | undefined>;
  /** Upserts parcels by consignment id (a reassessment replaces the row). */
  recordParcels(rows: readonly ConsigneeParcelRow[]): Promise<void>;
  /** Parcels at or after `at`, oldest first. */
  parcelsSince(at: string): Promise<ConsigneeParcelRow[]>;
  /** Parcels of these consignee keys at or after `at`, oldest first (the bounded window's loads). */
  parcelsOfConsignees(keys: readonly string[], at: string): Promise<ConsigneeParcelRow[]>;
  /** Deletes parcels older than `at`; returns how many. */
  forgetParcelsBefore(at: string): Promise<number>;
  /**
   * Records an outcome; returns the consignment's outcome it replaces (a corrected or repeated finding),
   * if any. Every row is kept, but only a consignment's latest outcome counts.
   */
  recordOutcome(row: OutcomeRow): Promise<OutcomeRow | undefined>;
  /** The latest outcome of each consignment whose latest is at or after `since` (all when absent), oldest first. */
  outcomes(since?: string): Promise<OutcomeRow[]>;
  /** Inspections and findings (not clean, `cleanFindings`) per consignee key and per seller key, over latest outcomes. */
  partyHistory(): Promise<{ consignees: Map<string, PartyRecord>; sellers: Map<string, PartyRecord> }>;
  close(): Promise<void>;
}
