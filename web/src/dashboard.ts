/** KPIs from event timestamps with charts: volume by day and office, release before arrival, revenue, reasons. */
import { ApiError, get } from './api.js';
import { hbars, vbars } from './charts.js';
import { fmtInt, fmtPct, fmtSeconds, h, mount } from './dom.js';
import type { DurationStats, HitRate, KpiReport, KpiSlice, QueueCounts } from './types.js';

function tile(id: string, label: string, value: string, note = ''): HTMLElement {
  return h(
    'div.tile',
    { id: `kpi-${id}` },
    h('div.label', {}, label),
    h('div.value', {}, value),
    h('div.note', {}, note),
  );
}

const durNote = (d: DurationStats) =>
  d.count === 0 ? 'no data yet' : `p90 ${fmtSeconds(d.p90Seconds)} · n=${fmtInt(d.count)}`;
const hitNote = (r: HitRate) =>
  `${fmtInt(r.hits)} of ${fmtInt(r.inspectedWithFinding)} inspections with a finding`;

function card(title: string, ...body: (Node | string)[]): HTMLElement {
  return h('section.card', {}, h('h2', {}, title), ...body);
}

/** Every KPI of each slice (a day or an office) in one table. */
function sliceTable(
  id: string,
  caption: string,
  first: string,
  rows: ({ key: string } & KpiSlice)[],
): HTMLElement {
  return h(
    'div.scroll',
    { tabindex: 0, role: 'region', 'aria-label': caption },
    h(
      'table.list',
      { id },
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            first,
            'Parcels',
            'Released before arrival',
            'Received → release (median)',
            'Arrival → release (median)',
            'Inspected',
            'Hit rate, selections',
            'Hit rate, random',
          ].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, r.key),
            h('td.num', {}, fmtInt(r.volume)),
            h('td.num', {}, fmtPct(r.releasedBeforeArrival.share)),
            h('td.num', {}, fmtSeconds(r.receivedToRelease.medianSeconds)),
            h('td.num', {}, fmtSeconds(r.arrivalToRelease.medianSeconds)),
            h('td.num', {}, fmtPct(r.inspected.rate)),
            h('td.num', {}, fmtPct(r.hitRate.selected.rate)),
            h('td.num', {}, fmtPct(r.hitRate.random.rate)),
          ),
        ),
      ),
    ),
  );
}

/** Renders the dashboard (optionally for a window of days). */
export async function dashboardPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  mount(
    main,
    h('h1', {}, 'Dashboard'),
    h('p.muted', { role: 'status' }, 'Computing KPIs from the event log…'),
  );
  const window = { from: params.get('from') ?? undefined, to: params.get('to') ?? undefined };
  const windowStatus = h('p.form-status', { role: 'status', id: 'window-status' }, '');
  const say = (text: string) => {
    windowStatus.textContent = text;
    windowStatus.className = 'form-status error';
  };
  const form = h(
    'form.filters',
    {
      'aria-label': 'Dashboard window',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const f = new FormData(e.target as HTMLFormElement);
        const q = new URLSearchParams();
        for (const n of ['from', 'to']) {
          const v = String(f.get(n) ?? '');
          if (v) q.set(n, v);
        }
        const from = q.get('from');
        const to = q.get('to');
        // Days as YYYY-MM-DD compare as text: a window ending before it starts holds no day.
        if (from && to && to < from) {
          say(
            `The window ends (${to}) before it starts (${from}): pick a "to" day on or after the "from" day.`,
          );
          (main.querySelector('#w-to') as HTMLInputElement | null)?.focus();
          return;
        }
        location.hash = `#/dashboard?${q}`;
      },
    },
    h(
      'div.field',
      {},
      h('label', { for: 'w-from' }, 'From day (UTC)'),
      h('input', { id: 'w-from', name: 'from', type: 'date', value: window.from ?? '' }),
    ),
    h(
      'div.field',
      {},
      h('label', { for: 'w-to' }, 'To day (UTC)'),
      h('input', { id: 'w-to', name: 'to', type: 'date', value: window.to ?? '' }),
    ),
    h(
      'div.field.buttons',
      {},
      h('button', { type: 'submit' }, 'Apply'),
      h(
        'button',
        { type: 'button', id: 'refresh', onclick: () => void dashboardPage(main, params) },
        'Refresh',
      ),
    ),
  );
  // A window the API refuses (e.g. a "to" day before the "from" day, typed into the URL) is said next
  // to the form, which stays to correct it.
  let k: KpiReport;
  let counts: QueueCounts;
  try {
    [k, counts] = await Promise.all([
      get<KpiReport>('/v1/kpi', window),
      get<QueueCounts>('/v1/console/queue/counts'),
    ]);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 400) throw err;
    mount(main, h('h1', {}, 'Dashboard'), form, windowStatus);
    say(`No KPIs for this window: ${err.message}`);
    return;
  }
  // Open requests for information now: held for information, or arrived with a request open (the only
  // arrived consignments queued). Each of them is counted by the KPI too (for a window that holds it).
  const openRequests = (counts.byState['held-for-information'] ?? 0) + (counts.byState.arrived ?? 0);
  const offices = [...k.byOffice].sort((a, b) => b.volume - a.volume).slice(0, 12);
  const reasons = Object.entries(counts.byReason)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10);
  mount(
    main,
    h('h1', {}, 'Dashboard'),
    form,
    windowStatus,
    h(
      'div.tiles',
      { role: 'list', 'aria-label': 'Key performance indicators' },
      [
        tile('volume', 'Consignments', fmtInt(k.volume), `${fmtInt(counts.total)} held now`),
        tile(
          'rba',
          'Released before arrival',
          fmtPct(k.releasedBeforeArrival.share),
          `${fmtInt(k.releasedBeforeArrival.count)} parcels`,
        ),
        tile(
          'decision',
          'Data received → decision',
          fmtSeconds(k.receivedToDecision.medianSeconds),
          `median · ${durNote(k.receivedToDecision)}`,
        ),
        tile(
          'release',
          'Data received → release',
          fmtSeconds(k.receivedToRelease.medianSeconds),
          `median · ${durNote(k.receivedToRelease)}`,
        ),
        tile(
          'arrival',
          'Arrival → release',
          fmtSeconds(k.arrivalToRelease.medianSeconds),
          `median · ${durNote(k.arrivalToRelease)}`,
        ),
        tile(
          'rfi',
          'Information requested',
          fmtPct(k.heldForInformation.rate),
          `${fmtInt(k.heldForInformation.count)} parcels · ${fmtInt(openRequests)} open now`,
        ),
        tile(
          'inspection',
          'Inspection rate',
          fmtPct(k.inspected.rate),
          `${fmtInt(k.inspected.count)} parcels`,
        ),
        tile(
          'hit-selected',
          'Hit rate, risk selections',
          fmtPct(k.hitRate.selected.rate),
          hitNote(k.hitRate.selected),
        ),
        tile(
          'hit-random',
          'Hit rate, random sample',
          fmtPct(k.hitRate.random.rate),
          hitNote(k.hitRate.random),
        ),
      ].map((t) => {
        t.setAttribute('role', 'listitem');
        return t;
      }),
    ),
    h(
      'div.grid',
      {},
      card(
        'Volume by day',
        vbars(
          'Consignments received per day',
          k.byDay.map((d) => ({ label: d.day, value: d.volume })),
        ),
      ),
      card(
        'Released before arrival by day',
        vbars(
          'Share released before arrival per day (percent)',
          k.byDay.map((d) => ({ label: d.day, value: (d.releasedBeforeArrival.share ?? 0) * 100 })),
        ),
      ),
      card(
        'Time from data received to release by day (median, minutes)',
        vbars(
          'Median minutes from data received to release per day',
          k.byDay.map((d) => ({ label: d.day, value: (d.receivedToRelease.medianSeconds ?? 0) / 60 })),
        ),
      ),
      card(
        'Inspection rate and hit rate by day (percent)',
        vbars(
          'Inspection rate per day (percent)',
          k.byDay.map((d) => ({ label: d.day, value: (d.inspected.rate ?? 0) * 100 })),
        ),
        vbars(
          'Hit rate of risk selections per day (percent)',
          k.byDay.map((d) => ({ label: d.day, value: (d.hitRate.selected.rate ?? 0) * 100 })),
        ),
      ),
      card(
        'Volume by office (top 12)',
        hbars(
          'Consignments per office',
          offices.map((o) => ({
            label: o.office,
            value: o.volume,
            note: `${fmtPct(o.releasedBeforeArrival.share)} released before arrival`,
          })),
        ),
      ),
      card(
        'Inspection rate by office (top 12 by volume)',
        hbars(
          'Inspection rate per office',
          offices.map((o) => ({ label: o.office, value: (o.inspected.rate ?? 0) * 100 })),
          { format: (v) => `${v.toFixed(1)}%` },
        ),
      ),
      card(
        'Revenue due at the border by collection model',
        hbars(
          'Revenue due at the border per collection model',
          k.revenue.map((r) => ({
            label: `${r.collectionModel} (${r.currency})`,
            value: Number(r.dueAtBorder),
          })),
        ),
        h(
          'div.scroll',
          { tabindex: 0, role: 'region', 'aria-label': 'Revenue by collection model' },
          h(
            'table.lines',
            {},
            h('caption.sr', {}, 'Revenue by collection model'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Model', 'Parcels', 'Due at border', 'Prepaid'].map((c) => h('th', { scope: 'col' }, c)),
              ),
            ),
            h(
              'tbody',
              {},
              k.revenue.map((r) =>
                h(
                  'tr',
                  {},
                  h('td', {}, r.collectionModel),
                  h('td.num', {}, fmtInt(r.consignments)),
                  h('td.num', {}, `${r.dueAtBorder} ${r.currency}`),
                  h('td.num', {}, `${r.prepaid} ${r.currency}`),
                ),
              ),
            ),
          ),
        ),
      ),
      card(
        'Top reasons in the work queue',
        hbars(
          'Held consignments per rule',
          reasons.map(([label, value]) => ({ label, value })),
        ),
      ),
    ),
    card(
      'By day',
      sliceTable(
        'by-day',
        'KPIs per UTC day of data received',
        'Day',
        k.byDay.map((d) => ({ key: d.day, ...d })),
      ),
    ),
    card(
      'By office',
      sliceTable(
        'by-office',
        'KPIs per office of entry',
        'Office',
        [...k.byOffice].sort((a, b) => b.volume - a.volume).map((o) => ({ key: o.office, ...o })),
      ),
    ),
  );
}
