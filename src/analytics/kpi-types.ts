/**
 * The KPI report's shapes, free of imports so that the web console type-checks against the same
 * definitions (web/src imports them with `import type`).
 */

/** Median and 90th percentile of a set of durations, in seconds. */
export interface DurationStats {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/** Inspections with a recorded finding and how many of them found something. */
export interface HitRate {
  inspectedWithFinding: number;
  hits: number;
  /** hits ÷ inspectedWithFinding, or null when nothing was inspected. */
  rate: number | null;
}

/** KPIs of one slice (everything, one day or one office). */
export interface KpiSlice {
  volume: number;
  receivedToDecision: DurationStats;
  receivedToRelease: DurationStats;
  releasedBeforeArrival: { count: number; share: number | null };
  arrivalToRelease: DurationStats;
  /**
   * Consignments for which customs requested information at any time (held for information by their
   * lane or an officer, or asked after arrival), and their share of the volume.
   */
  heldForInformation: { count: number; rate: number | null };
  inspected: { count: number; rate: number | null };
  hitRate: { selected: HitRate; random: HitRate };
}

export interface KpiReport extends KpiSlice {
  window: { from: string | null; to: string | null };
  byDay: ({ day: string } & KpiSlice)[];
  byOffice: ({ office: string } & KpiSlice)[];
  revenue: {
    collectionModel: string;
    currency: string;
    consignments: number;
    dueAtBorder: string;
    prepaid: string;
  }[];
}
