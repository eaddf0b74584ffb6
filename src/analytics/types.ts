/** Types shared by the forecasting module: series, forecasts, backtests and staffing plans. */

/** Sampling frequency of a series, detected from the median gap between dates. */
export type Frequency = 'daily' | 'weekly' | 'monthly';

/** A regular, gap-free series of non-negative counts, oldest first. */
export interface Series {
  /** Detected frequency. */
  frequency: Frequency;
  /** ISO dates (`YYYY-MM-DD`), one per period: the day, the week's first date, or the 1st of the month. */
  dates: string[];
  /** Counts, same length as `dates`; imputed periods hold interpolated values. */
  values: number[];
  /** True where the period was missing in the file and filled by linear interpolation. */
  imputed: boolean[];
  /** Which header names were read as the date and the count column. */
  columns: { date: string; count: string };
  /** Human-readable notes on what the parser did (imputed periods, ignored columns, and so on). */
  notes: string[];
}

/** Outcome of `parseSeries`: the series, or a message naming the offending line. */
export type ParseSeriesResult = { ok: true; series: Series } | { ok: false; error: string };

/** The forecasting methods the engine can ship. */
export type ModelName = 'seasonal-naive' | 'naive' | 'regression' | 'ets' | 'blend';

/** One forecast period: median point forecast and 80% / 95% prediction intervals. */
export interface ForecastPoint {
  date: string;
  /** Horizon step, 1-based. */
  step: number;
  point: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

/** Validation score of one candidate model (mean absolute scaled error over the validation origins). */
export interface CandidateScore {
  model: ModelName;
  mase: number;
}

/** Options of `forecast`. */
export interface ForecastOptions {
  /** Number of periods to forecast (days, weeks or months). */
  horizon: number;
  /** Use the shopping-event calendar (default true). */
  events?: boolean;
}

/** What `forecast` returns: the chosen model, the forecast periods and how the choice was made. */
export interface ForecastResult {
  frequency: Frequency;
  horizon: number;
  /** The model whose forecast is shipped. */
  model: ModelName;
  points: ForecastPoint[];
  /** Validation scores of every candidate that could be fitted, best first. */
  candidates: CandidateScore[];
  /** Number of rolling validation origins behind the model choice and the intervals. */
  validationOrigins: number;
  /** Whether the event calendar was used. */
  events: boolean;
  /** Learnt event effects (percent change at the event bin), daily regression only. */
  eventEffects: EventEffect[];
  notes: string[];
}

/** A learnt effect of one event window, as a percent change of volume. */
export interface EventEffect {
  event: string;
  window: string;
  percent: number;
}

/** Options of `backtest`. */
export interface BacktestOptions {
  horizon: number;
  /** Number of rolling origins (default 6). */
  origins?: number;
  events?: boolean;
}

/** Accuracy of one method over all backtest origins. */
export interface BacktestMetrics {
  /** Mean absolute scaled error (MAE / in-sample seasonal-naive MAE), averaged over origins. */
  mase: number;
  /** Mean absolute percentage error in percent, over non-zero actuals only. */
  mape: number;
  /** Symmetric MAPE in percent (0..200), skipping periods where actual and forecast are both zero. */
  smape: number;
  /** Share of actuals inside the 80% interval. */
  coverage80: number;
  /** Share of actuals inside the 95% interval. */
  coverage95: number;
}

/** Outcome of a rolling-origin backtest of the shipped method against seasonal naive. */
export interface BacktestResult {
  frequency: Frequency;
  horizon: number;
  /** Last training date of each origin. */
  origins: string[];
  /** Model chosen at each origin. */
  chosen: ModelName[];
  model: BacktestMetrics;
  baseline: BacktestMetrics;
  /** model MASE / baseline MASE: below 1 means the shipped forecast beats seasonal naive. */
  maseRatio: number;
  /** Number of forecast periods scored. */
  scoredPeriods: number;
  /** Number of periods left out of MAPE because the actual was zero. */
  mapeSkippedZeros: number;
  notes: string[];
}

/** Which forecast value staffing is sized on. */
export type StaffingQuantile = 'point' | 'p80' | 'p95';

/** Options of `recommendStaffing`. */
export interface StaffingOptions {
  /** Share of parcels selected for inspection, e.g. 0.02. */
  selectionRate: number;
  /** Inspections one officer completes in one working day. */
  inspectionsPerOfficerPerDay: number;
  /** Size on the median (`point`), the upper 80% bound (`p80`, default) or the upper 95% bound (`p95`). */
  quantile?: StaffingQuantile;
}

/** Officers needed on one forecast period, per working day. */
export interface StaffingDay {
  date: string;
  parcelsPerDay: number;
  inspectionsPerDay: number;
  officersPerDay: number;
}

/** A staffing recommendation with the assumptions that produced it. */
export interface StaffingPlan {
  quantile: StaffingQuantile;
  days: StaffingDay[];
  peakOfficers: number;
  assumptions: string[];
}
