/** Volume forecasting for staffing: series parsing, forecasts with intervals, backtests, staffing, reports. */
export { parseSeries } from './parse-series.js';
export { readSeriesFile } from './series-file.js';
export { forecast } from './forecast.js';
export { backtest } from './backtest.js';
export { seasonalNaive } from './baseline.js';
export { recommendStaffing } from './staffing.js';
export {
  forecastLanes,
  laneSeries,
  recommendLaneStaffing,
  selectionRate,
  type ForecastLane,
  type LaneForecastInput,
  type LaneStaffingDay,
  type LaneStaffingPlan,
  type LaneVolumeRow,
  type SelectionRate,
  type SeriesSelector,
} from './lane-forecast.js';
export { parseLaneCsv } from './lane-csv.js';
export { renderForecastReport, renderBacktest, renderStaffing } from './render-report.js';
export { escapeXml, renderForecastSvg } from './render-svg.js';
export { SHOPPING_EVENTS, LUNAR_NEW_YEAR, blackFriday } from './events.js';
export {
  generateParcelSeries,
  aggregateDaily,
  toSeriesCsv,
  type ParcelSeriesOptions,
} from './generate-series.js';
export type {
  BacktestMetrics,
  BacktestOptions,
  BacktestResult,
  CandidateScore,
  EventEffect,
  ForecastOptions,
  ForecastPoint,
  ForecastResult,
  Frequency,
  ModelName,
  ParseSeriesResult,
  Series,
  StaffingDay,
  StaffingOptions,
  StaffingPlan,
  StaffingQuantile,
} from './types.js';
