/** The shopping-event calendar: 11.11, Black Friday, Cyber Monday, Christmas and Lunar New Year. */
import { civil, dayNumber, periodSpan } from './dates.js';
import type { Frequency } from './types.js';

/** First day of the Lunar New Year (Spring Festival), 2010-2035, from the Chinese calendar. */
export const LUNAR_NEW_YEAR: Readonly<Record<number, string>> = {
  2010: '2010-02-14',
  2011: '2011-02-03',
  2012: '2012-01-23',
  2013: '2013-02-10',
  2014: '2014-01-31',
  2015: '2015-02-19',
  2016: '2016-02-08',
  2017: '2017-01-28',
  2018: '2018-02-16',
  2019: '2019-02-05',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-03',
  2031: '2031-01-23',
  2032: '2032-02-11',
  2033: '2033-01-31',
  2034: '2034-02-19',
  2035: '2035-02-08',
};

/** An offset window in days around an event's anchor date, both ends included. */
export interface EventWindow {
  name: string;
  from: number;
  to: number;
}

/** A calendar event: its anchor date per year, daily lead/lag bins, and wider windows for weekly/monthly data. */
export interface ShoppingEvent {
  id: string;
  label: string;
  anchor: (year: number) => number | undefined;
  /** Lead/lag bins for daily data; each bin gets its own learnt effect. */
  dailyBins: readonly EventWindow[];
  /** Windows whose share of days in a week or month is a regressor for weekly/monthly data. */
  periodWindows: readonly EventWindow[];
}

/** Black Friday: the day after the fourth Thursday of November. */
export function blackFriday(year: number): number {
  const nov1 = dayNumber(year, 11, 1) ?? 0;
  const weekday = civil(nov1).weekday;
  const firstThursday = nov1 + ((3 - weekday + 7) % 7);
  return firstThursday + 21 + 1;
}

function lunarNewYear(year: number): number | undefined {
  const text = LUNAR_NEW_YEAR[year];
  if (!text) return undefined;
  return dayNumber(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)));
}

const w = (name: string, from: number, to: number): EventWindow => ({ name, from, to });

// Cross-border parcels reach customs days to weeks after the order, so lag bins run up to three weeks.
/** The event calendar used by the regression model. */
export const SHOPPING_EVENTS: readonly ShoppingEvent[] = [
  {
    id: 'singles-day',
    label: "Singles' Day (11.11)",
    anchor: (y) => dayNumber(y, 11, 11),
    dailyBins: [
      w('-3..-1', -3, -1),
      w('0', 0, 0),
      w('+1..+3', 1, 3),
      w('+4..+7', 4, 7),
      w('+8..+14', 8, 14),
      w('+15..+21', 15, 21),
    ],
    periodWindows: [w('0..+14', 0, 14)],
  },
  {
    id: 'black-friday',
    label: 'Black Friday',
    anchor: blackFriday,
    dailyBins: [w('-3..-1', -3, -1), w('0', 0, 0), w('+1..+2', 1, 2)],
    periodWindows: [w('0..+10', 0, 10)],
  },
  {
    id: 'cyber-monday',
    label: 'Cyber Monday',
    anchor: (y) => blackFriday(y) + 3,
    dailyBins: [w('0', 0, 0), w('+1..+3', 1, 3), w('+4..+7', 4, 7), w('+8..+14', 8, 14)],
    periodWindows: [],
  },
  {
    id: 'christmas',
    label: 'Christmas period',
    anchor: (y) => dayNumber(y, 12, 25),
    dailyBins: [
      w('-21..-15', -21, -15),
      w('-14..-8', -14, -8),
      w('-7..-2', -7, -2),
      w('-1..+1', -1, 1),
      w('+2..+6', 2, 6),
      w('+7 (1 Jan)', 7, 7),
      w('+8..+13', 8, 13),
    ],
    periodWindows: [w('peak -21..-3', -21, -3), w('lull -1..+7', -1, 7)],
  },
  {
    id: 'lunar-new-year',
    label: 'Lunar New Year',
    anchor: lunarNewYear,
    dailyBins: [
      w('-14..-8', -14, -8),
      w('-7..-1', -7, -1),
      w('0..+6', 0, 6),
      w('+7..+13', 7, 13),
      w('+14..+20', 14, 20),
    ],
    periodWindows: [w('-7..+13', -7, 13)],
  },
];

/** Names of the event regressors for a frequency, as `event window`. */
export function eventFeatureNames(frequency: Frequency): { event: string; window: string }[] {
  return SHOPPING_EVENTS.flatMap((e) =>
    (frequency === 'daily' ? e.dailyBins : e.periodWindows).map((b) => ({ event: e.id, window: b.name })),
  );
}

/** Maps each day number in range to the indexes of the event regressors covering it. */
function dayIndex(frequency: Frequency, firstDay: number, lastDay: number): Map<number, number[]> {
  const map = new Map<number, number[]>();
  const years = [civil(firstDay).year - 1, civil(lastDay).year + 1];
  let column = 0;
  for (const e of SHOPPING_EVENTS) {
    const windows = frequency === 'daily' ? e.dailyBins : e.periodWindows;
    for (const win of windows) {
      for (let y = years[0] ?? 0; y <= (years[1] ?? 0); y++) {
        const anchor = e.anchor(y);
        if (anchor === undefined) continue;
        for (let d = anchor + win.from; d <= anchor + win.to; d++) {
          if (d < firstDay || d > lastDay) continue;
          const list = map.get(d) ?? [];
          list.push(column);
          map.set(d, list);
        }
      }
      column++;
    }
  }
  return map;
}

/**
 * Event regressors for periods starting at the given day numbers: for daily data a 0/1 indicator per
 * lead/lag bin, for weekly and monthly data the share of the period's days inside each event window.
 */
export function eventFeatures(frequency: Frequency, periodStarts: readonly number[]): number[][] {
  const width = eventFeatureNames(frequency).length;
  if (periodStarts.length === 0) return [];
  const spans = periodStarts.map((d) => periodSpan(frequency, d));
  const first = Math.min(...spans.map((s) => s.first));
  const last = Math.max(...spans.map((s) => s.first + s.days - 1));
  const index = dayIndex(frequency, first, last);
  return spans.map((span) => {
    const row = new Array<number>(width).fill(0);
    for (let d = span.first; d < span.first + span.days; d++) {
      for (const c of index.get(d) ?? []) row[c] = (row[c] ?? 0) + 1 / span.days;
    }
    return row;
  });
}

/** Whether the LNY table covers every year of the given day range. */
export function lunarTableCovers(firstDay: number, lastDay: number): boolean {
  for (let y = civil(firstDay).year; y <= civil(lastDay).year; y++) if (!LUNAR_NEW_YEAR[y]) return false;
  return true;
}
