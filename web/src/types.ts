/**
 * The shapes of the API answers the console reads. The work queue, KPI, quality, screening and lane staffing
 * shapes are the API's own (type-only imports: nothing of the server is bundled); the rest are the subsets the
 * pages read.
 */
import type { LaneStaffingPlan } from '../../src/analytics/lane-forecast.js';
export type { QueueCounts, QueueItem } from '../../src/store/console/port.js';
export type { DurationStats, HitRate, KpiReport, KpiSlice } from '../../src/analytics/kpi-types.js';
export type { DetectionView, ImageView, ScreeningQueueItem } from '../../src/screening/view-types.js';
export type { QualityReport, Scorecard } from '../../src/quality/report-types.js';

export interface Hit {
  id: string;
  kind: string;
  score: number;
  lane?: string;
  reason: string;
}

export interface TaxLine {
  type: string;
  itemIndex?: number;
  base: string;
  rate: string;
  amount: string;
  measure: string;
  collectedBy: string;
  explanation: string;
}

export interface Money {
  amount: string;
  currency: string;
}

export interface Item {
  description: string;
  hsCode?: string;
  origin?: string;
  quantity?: number;
  value?: Money;
  netWeightGrams?: number;
}

export interface Input {
  items?: Item[];
  consignee?: { name?: string; address?: { country?: string; city?: string } };
  seller?: { name?: string; address?: { country?: string } };
  transportDocument?: { id?: string; type?: string };
  platform?: { id?: string; orderId?: string };
  payment?: { amount?: Money; reference?: string };
  routing?: { dispatchCountry?: string; destinationCountry?: string; officeOfEntry?: string };
  externalRef?: string;
  category?: string;
}

export interface Consignment {
  id: string;
  version: number;
  state: string;
  submitterId: string;
  sources: { declarationId: string; kind: string; submitterId: string; receivedAt: string; data: Input }[];
  merged: Input;
  mismatches: {
    field: string;
    between: [string, string];
    values: [string, string];
    itemIndex?: number;
    message: string;
  }[];
  assessment: {
    decision: string;
    risk: {
      score: number;
      lane: string;
      security: string;
      hits: Hit[];
      randomSelected: boolean;
      ruleSetVersion: string;
    };
    revenue: {
      jurisdiction: string;
      currency: string;
      collectionModel: string;
      intrinsicValue: string;
      customsValue: string;
      lines: TaxLine[];
      dueAtBorder: string;
      prepaid: string;
      total: string;
      notes: string[];
    };
    assessedAt: string;
  };
  createdAt: string;
  updatedAt: string;
  /** Arrived with a request for information still open (docs/information-requests.md §3). */
  informationOpen?: true;
  /** What is to be paid at the border now: zero once seized, returned or abandoned (docs/returns.md). */
  dueAtBorder?: string;
}

export interface ClearanceEvent {
  seq?: number;
  type: string;
  from: string | null;
  to: string | null;
  at: string;
  actor: string;
  reason?: string;
  data?: Record<string, unknown>;
}

export interface ForecastAnswer {
  source: 'store' | 'synthetic';
  /** `forecast.no-history`: the selection has received no parcels, the plan is made up. */
  warnings: { code: string; message: string }[];
  office: string | null;
  lane: string | null;
  observed: { consignments: number; inspected: number; rate: number };
  selectionRate: number;
  selectionRateSource: 'given' | 'observed' | 'assumed';
  history: { date: string; count: number }[];
  model: string;
  points: {
    date: string;
    step: number;
    point: number;
    lower80: number;
    upper80: number;
    lower95: number;
    upper95: number;
  }[];
  eventEffects: { event: string; window: string; percent: number }[];
  backtest: {
    origins: number;
    model: { mase: number; mape: number; coverage80: number; coverage95: number };
    baseline: { mase: number; mape: number; coverage80: number; coverage95: number };
    maseRatio: number;
  };
  staffing: {
    quantile: string;
    days: { date: string; parcelsPerDay: number; inspectionsPerDay: number; officersPerDay: number }[];
    peakOfficers: number;
    assumptions: string[];
  };
}

/** GET /v1/forecast/lanes: each lane's forecast and the staffing planned from the lanes. */
export interface LaneForecastAnswer {
  office: string | null;
  horizon: number;
  lanes: {
    lane: string;
    source: 'store' | 'synthetic';
    model: string;
    history: { date: string; count: number }[];
    points: ForecastAnswer['points'];
    selectionRate: number;
    observed: { consignments: number; inspected: number; rate: number };
  }[];
  lanesWithoutHistory: string[];
  staffing: LaneStaffingPlan | null;
}
