/**
 * Volume forecast for staffing, per office and lane: the selected series' history, forecast with
 * 80% / 95% intervals and backtest; each lane's own forecast; officers per day planned from the
 * lanes' forecasts and their selection rates (or from the one lane selected).
 */
import { get } from './api.js';
import { forecastChart, vbars } from './charts.js';
import { fmtInt, h, mount } from './dom.js';
import type { ForecastAnswer, LaneForecastAnswer } from './types.js';

const lanes = ['green', 'yellow', 'red', 'blue'];
const pct = (v: number): string => `${(v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 1)}%`;

function legend(): HTMLElement {
  return h(
    'p.legend',
    {},
    h('span.k-history', {}, 'history'),
    h('span.k-forecast', {}, 'forecast'),
    h('span.k-band80', {}, '80% interval'),
    h('span.k-band95', {}, '95% interval'),
  );
}

function staffingTable(
  id: string,
  caption: string,
  days: { date: string; parcelsPerDay: number; inspectionsPerDay: number; officersPerDay: number }[],
): HTMLElement {
  return h(
    'div.scroll',
    { tabindex: 0, role: 'region', 'aria-label': caption },
    h(
      'table.lines',
      { id },
      h('caption.sr', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Day', 'Parcels', 'Inspections', 'Officers'].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        days.map((d) =>
          h(
            'tr',
            {},
            h('td', {}, d.date),
            h('td.num', {}, fmtInt(d.parcelsPerDay)),
            h('td.num', {}, fmtInt(d.inspectionsPerDay)),
            h('td.num', {}, fmtInt(d.officersPerDay)),
          ),
        ),
      ),
    ),
  );
}

/** The card of every lane's forecast and the staffing planned from them (filled in when it answers). */
async function lanesCard(card: HTMLElement, query: Record<string, string | undefined>): Promise<void> {
  const status = h('p.muted', { role: 'status', id: 'lanes-status' }, 'Fitting each lane’s forecast…');
  mount(card, h('h2', { id: 'lanes-title' }, 'By lane'), status);
  const l = await get<LaneForecastAnswer>('/v1/forecast/lanes', query);
  const days = l.staffing?.days ?? [];
  mount(
    card,
    h(
      'h2',
      { id: 'lanes-title' },
      `By lane: inspection staffing (peak ${fmtInt(l.staffing?.peakOfficers ?? 0)} officers)`,
    ),
    h('p.muted', { role: 'status', id: 'lanes-status' }, `${l.lanes.length} lanes forecast`),
    l.lanes.some((x) => x.source === 'synthetic')
      ? h(
          'p.notice',
          { role: 'note' },
          'Lanes with less than eight weeks of history run on a synthetic history at their latest daily volume.',
        )
      : null,
    h(
      'div.scroll',
      { tabindex: 0, role: 'region', 'aria-label': 'Forecast by lane' },
      h(
        'table.lines',
        { id: 'lane-forecasts' },
        h('caption.sr', {}, `Each lane's forecast over the next ${l.horizon} days and its selection rate`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Lane', 'Model', 'Parcels (median)', '80% high', 'Selection rate', 'Inspections (80% high)'].map(
              (c) => h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          l.lanes.map((x) => {
            const sum = (k: 'point' | 'upper80') => x.points.reduce((a, p) => a + p[k], 0);
            return h(
              'tr',
              { 'data-lane': x.lane },
              h(
                'th',
                { scope: 'row' },
                h(
                  'a',
                  {
                    href: `#/forecast?${new URLSearchParams({ ...(l.office ? { office: l.office } : {}), lane: x.lane })}`,
                  },
                  x.lane,
                ),
              ),
              h('td', {}, x.model),
              h('td.num', {}, fmtInt(sum('point'))),
              h('td.num', {}, fmtInt(sum('upper80'))),
              h('td.num', {}, pct(x.selectionRate)),
              h('td.num', {}, fmtInt(sum('upper80') * x.selectionRate)),
            );
          }),
        ),
      ),
    ),
    l.lanesWithoutHistory.length > 0
      ? h('p.muted', {}, `No parcels yet in lane ${l.lanesWithoutHistory.join(', ')}.`)
      : null,
    days.length > 0
      ? vbars(
          'Officers needed per day, planned from the lanes',
          days.map((d) => ({ label: d.date, value: d.officersPerDay })),
          760,
        )
      : null,
    h(
      'ul.notes',
      {},
      (l.staffing?.assumptions ?? []).map((a) => h('li', {}, a)),
    ),
    staffingTable('staffing', 'Officers needed per day, from the lanes’ forecasts and selection rates', days),
    h(
      'div.grid',
      {},
      l.lanes.map((x) =>
        h(
          'figure.lane-chart',
          { 'data-lane': x.lane },
          forecastChart(
            `Lane ${x.lane}: daily parcels, history and forecast with intervals`,
            x.history,
            x.points,
            560,
          ),
          h('figcaption', {}, `Lane ${x.lane} (${x.model})`),
        ),
      ),
    ),
  );
}

export async function forecastPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  mount(main, h('h1', {}, 'Volume forecast'), h('p.muted', { role: 'status' }, 'Fitting the forecast…'));
  const horizon = params.get('horizon') ?? '28';
  const office = params.get('office') ?? undefined;
  const lane = params.get('lane') ?? undefined;
  const perOfficer = params.get('perOfficer') ?? undefined;
  const [f, volume] = await Promise.all([
    get<ForecastAnswer>('/v1/forecast', { horizon, office, lane, inspectionsPerOfficer: perOfficer }),
    get<{ days: { office: string | null }[] }>('/v1/console/volume'),
  ]);
  const offices = [
    ...new Set(volume.days.map((d) => d.office).filter((o): o is string => o !== null)),
  ].sort();
  const bt = f.backtest;
  const select = (id: string, name: string, label: string, all: string, values: string[], value?: string) =>
    h(
      'div.field',
      {},
      h('label', { for: id }, label),
      h(
        'select',
        { id, name },
        h('option', { value: '' }, all),
        values.map((v) => h('option', { value: v, ...(v === value ? { selected: true } : {}) }, v)),
      ),
    );
  const form = h(
    'form.filters',
    {
      'aria-label': 'Forecast options',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const d = new FormData(e.target as HTMLFormElement);
        const q = new URLSearchParams();
        for (const n of ['horizon', 'office', 'lane', 'perOfficer']) {
          const v = String(d.get(n) ?? '').trim();
          if (v) q.set(n, v);
        }
        location.hash = `#/forecast?${q}`;
      },
    },
    h(
      'div.field',
      {},
      h('label', { for: 'fc-h' }, 'Days ahead'),
      h('input', { id: 'fc-h', name: 'horizon', type: 'number', min: 7, max: 120, value: horizon }),
    ),
    select('fc-o', 'office', 'Office', 'All offices', offices, office),
    select('fc-l', 'lane', 'Lane', 'All lanes', lanes, lane),
    h(
      'div.field',
      {},
      h('label', { for: 'fc-p' }, 'Inspections per officer a day'),
      h('input', { id: 'fc-p', name: 'perOfficer', type: 'number', min: 1, value: perOfficer ?? '40' }),
    ),
    h('div.field', {}, h('button', { type: 'submit' }, 'Forecast')),
  );
  const what = `${office ? `office ${office}` : 'all offices'}, ${lane ? `lane ${lane}` : 'all lanes'}`;
  const lanesSection =
    lane === undefined ? h('section.card', { id: 'by-lane', 'aria-labelledby': 'lanes-title' }) : null;
  mount(
    main,
    h('h1', {}, 'Volume forecast'),
    form,
    (f.warnings ?? []).map((w) => h('p.notice', { role: 'alert', 'data-code': w.code }, w.message)),
    f.source === 'synthetic'
      ? h(
          'p.notice',
          { role: 'note' },
          'The store holds less than eight weeks of history for this selection: this forecast runs on a synthetic two-year history ending at its latest daily volume.',
        )
      : null,
    h(
      'section.card',
      { 'aria-labelledby': 'fc-title' },
      h('h2', { id: 'fc-title' }, `Daily parcels, ${what}, next ${f.points.length} days (${f.model})`),
      forecastChart(
        `Daily parcels, ${what}: history, forecast and 80% / 95% prediction intervals`,
        f.history,
        f.points,
      ),
      legend(),
      h(
        'p',
        { id: 'backtest' },
        `Backtest over ${bt.origins} rolling origins: MASE ${bt.model.mase.toFixed(3)} vs seasonal naive ${bt.baseline.mase.toFixed(3)} (ratio ${bt.maseRatio.toFixed(3)}), MAPE ${bt.model.mape.toFixed(1)}% vs ${bt.baseline.mape.toFixed(1)}%, 80% interval coverage ${(bt.model.coverage80 * 100).toFixed(0)}%, 95% coverage ${(bt.model.coverage95 * 100).toFixed(0)}%.`,
      ),
      f.eventEffects.length > 0
        ? h(
            'p.muted',
            {},
            'Largest learnt event effects: ',
            [...f.eventEffects]
              .sort((a, b) => Math.abs(b.percent) - Math.abs(a.percent))
              .slice(0, 8)
              .map((e) => `${e.event} ${e.window} ${e.percent > 0 ? '+' : ''}${e.percent.toFixed(0)}%`)
              .join(' · '),
          )
        : null,
    ),
    lanesSection ??
      h(
        'section.card',
        { 'aria-labelledby': 'staff-title' },
        h(
          'h2',
          { id: 'staff-title' },
          `Inspection staffing, lane ${lane} (peak ${fmtInt(f.staffing.peakOfficers)} officers)`,
        ),
        h(
          'p',
          { id: 'selection' },
          f.selectionRateSource === 'observed'
            ? `Selection rate ${pct(f.selectionRate)}: ${fmtInt(f.observed.inspected)} of ${fmtInt(f.observed.consignments)} parcels in this lane were held for inspection.`
            : `Selection rate ${pct(f.selectionRate)}, ${f.selectionRateSource === 'given' ? 'as given' : 'assumed: the store holds no parcel of this selection yet'}.`,
        ),
        h(
          'ul.notes',
          {},
          f.staffing.assumptions.map((a) => h('li', {}, a)),
        ),
        staffingTable('staffing', 'Officers needed per day', f.staffing.days),
      ),
  );
  if (lanesSection)
    await lanesCard(lanesSection, { horizon, office, inspectionsPerOfficer: perOfficer }).catch(
      (err: unknown) =>
        mount(
          lanesSection,
          h('h2', { id: 'lanes-title' }, 'By lane'),
          h('p.form-status.error', { role: 'alert' }, String(err)),
        ),
    );
}
