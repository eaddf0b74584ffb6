/** Volume forecast for staffing: history, forecast with 80% / 95% intervals, backtest, officers per day. */
import { get } from './api.js';
import { forecastChart } from './charts.js';
import { fmtInt, h, mount } from './dom.js';
import type { ForecastAnswer } from './types.js';

export async function forecastPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  mount(main, h('h1', {}, 'Volume forecast'), h('p.muted', { role: 'status' }, 'Fitting the forecast…'));
  const horizon = params.get('horizon') ?? '28';
  const f = await get<ForecastAnswer>('/v1/forecast', {
    horizon,
    office: params.get('office') ?? undefined,
    inspectionsPerOfficer: params.get('perOfficer') ?? undefined,
  });
  const bt = f.backtest;
  const form = h(
    'form.filters',
    {
      'aria-label': 'Forecast options',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const d = new FormData(e.target as HTMLFormElement);
        const q = new URLSearchParams();
        for (const n of ['horizon', 'office', 'perOfficer']) {
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
    h(
      'div.field',
      {},
      h('label', { for: 'fc-o' }, 'Office (blank: all)'),
      h('input', { id: 'fc-o', name: 'office', value: params.get('office') ?? '', size: 10 }),
    ),
    h(
      'div.field',
      {},
      h('label', { for: 'fc-p' }, 'Inspections per officer a day'),
      h('input', {
        id: 'fc-p',
        name: 'perOfficer',
        type: 'number',
        min: 1,
        value: params.get('perOfficer') ?? '40',
      }),
    ),
    h('div.field', {}, h('button', { type: 'submit' }, 'Forecast')),
  );
  mount(
    main,
    h('h1', {}, 'Volume forecast'),
    form,
    f.source === 'synthetic'
      ? h(
          'p.notice',
          { role: 'note' },
          'The store holds less than eight weeks of history: this forecast runs on a synthetic two-year history ending at the store’s latest daily volume.',
        )
      : null,
    h(
      'section.card',
      {},
      h('h2', {}, `Daily parcels, next ${f.points.length} days (${f.model})`),
      forecastChart(
        'Daily parcels: history, forecast and 80% / 95% prediction intervals',
        f.history,
        f.points,
      ),
      h(
        'p.legend',
        {},
        h('span.k-history', {}, 'history'),
        h('span.k-forecast', {}, 'forecast'),
        h('span.k-band80', {}, '80% interval'),
        h('span.k-band95', {}, '95% interval'),
      ),
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
    h(
      'section.card',
      {},
      h('h2', {}, `Inspection staffing (peak ${fmtInt(f.staffing.peakOfficers)} officers)`),
      h(
        'ul.notes',
        {},
        f.staffing.assumptions.map((a) => h('li', {}, a)),
      ),
      h(
        'div.scroll',
        {},
        h(
          'table.lines',
          { id: 'staffing' },
          h('caption.sr', {}, 'Officers needed per day'),
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
            f.staffing.days.map((d) =>
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
      ),
    ),
  );
}
