/** Inspection staffing from a volume forecast and an expected selection rate. */
import { daysInMonth, monthIndex, parseIsoDate } from './dates.js';
import type { ForecastPoint, ForecastResult, StaffingOptions, StaffingPlan } from './types.js';

/** Calendar days in one forecast period (1, 7, or the month's length). */
function daysInPeriod(result: ForecastResult, date: string): number {
  if (result.frequency === 'daily') return 1;
  if (result.frequency === 'weekly') return 7;
  return daysInMonth(monthIndex(parseIsoDate(date) ?? 0));
}

function volume(p: ForecastPoint, quantile: StaffingOptions['quantile']): number {
  if (quantile === 'point') return p.point;
  if (quantile === 'p95') return p.upper95;
  return p.upper80;
}

/**
 * Officers needed per day: ⌈parcels per day × selection rate ÷ inspections per officer per day⌉, with
 * parcels taken at the median or an upper prediction bound. Weekly and monthly forecasts are spread
 * evenly over their calendar days.
 */
export function recommendStaffing(result: ForecastResult, options: StaffingOptions): StaffingPlan {
  const { selectionRate, inspectionsPerOfficerPerDay } = options;
  if (!(selectionRate >= 0 && selectionRate <= 1))
    throw new RangeError(`selectionRate must be between 0 and 1, got ${selectionRate}`);
  if (!(inspectionsPerOfficerPerDay > 0))
    throw new RangeError(`inspectionsPerOfficerPerDay must be positive, got ${inspectionsPerOfficerPerDay}`);
  const quantile = options.quantile ?? 'p80';
  const days = result.points.map((p) => {
    const parcelsPerDay = volume(p, quantile) / daysInPeriod(result, p.date);
    const inspectionsPerDay = parcelsPerDay * selectionRate;
    // A tiny epsilon keeps 40.0000000001 from rounding up to 41 officers through float noise.
    const officersPerDay = Math.ceil(inspectionsPerDay / inspectionsPerOfficerPerDay - 1e-9);
    return { date: p.date, parcelsPerDay, inspectionsPerDay, officersPerDay: Math.max(0, officersPerDay) };
  });
  const label = { point: 'median forecast', p80: 'upper 80% bound', p95: 'upper 95% bound' }[quantile];
  const assumptions = [
    `volume: ${label} of the ${result.model} forecast (${result.frequency})`,
    `selection rate: ${(selectionRate * 100).toFixed(2)}% of parcels inspected`,
    `capacity: ${inspectionsPerOfficerPerDay} inspections per officer per working day`,
    'officers = ceil(parcels per day × selection rate ÷ capacity), no allowance for leave, training or breaks',
  ];
  if (result.frequency !== 'daily')
    assumptions.push(`${result.frequency} volumes are spread evenly over the period's calendar days`);
  if (quantile === 'point')
    assumptions.push('sized on the median: about half of the days will need more officers than planned');
  return { quantile, days, peakOfficers: Math.max(0, ...days.map((d) => d.officersPerDay)), assumptions };
}
