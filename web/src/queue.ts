/** The work queue: held consignments with filters, sort and server-side keyset paging; keyboard triage. */
import { get } from './api.js';
import { ago, badge, fmtInt, h, mount } from './dom.js';
import type { QueueCounts, QueueItem } from './types.js';
import { xrayAlerts, xrayQueueLink, xrayQueuePanel } from './screening.js';

const states = ['held-for-information', 'held-for-inspection', 'do-not-load'];
const lanes = ['yellow', 'red', 'green', 'blue'];
const sorts: [string, string][] = [
  ['newest', 'Newest first'],
  ['oldest', 'Oldest first'],
  ['risk', 'Highest risk first'],
];
const filterNames = ['state', 'lane', 'office', 'reason', 'answered', 'destination', 'sort'] as const;

/** Cursors of the pages before the current one, for "Previous" (reset when the filters change). */
let back: string[] = [];
let backFor = '';

function navigate(params: URLSearchParams): void {
  location.hash = `#/queue?${params}`;
}

function select(
  name: string,
  label: string,
  current: string | null,
  options: [string, string][],
  params: URLSearchParams,
): HTMLElement {
  const id = `f-${name}`;
  const el = h(
    'select',
    {
      id,
      name,
      onchange: (e: Event) => {
        const next = new URLSearchParams(params);
        const v = (e.target as HTMLSelectElement).value;
        if (v) next.set(name, v);
        else next.delete(name);
        next.delete('cursor');
        navigate(next);
      },
    },
    options.map(([v, text]) => h('option', { value: v, selected: v === (current ?? '') }, text)),
  );
  return h('div.field', {}, h('label', { for: id }, label), el);
}

const withCount = (counts: Record<string, number>, key: string, text = key): [string, string] => [
  key,
  `${text} (${fmtInt(counts[key] ?? 0)})`,
];

/** Renders the queue page for the filters in `params`. */
export async function queuePage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const filterKey = filterNames.map((n) => `${n}=${params.get(n) ?? ''}`).join('&');
  if (filterKey !== backFor) {
    back = [];
    backFor = filterKey;
  }
  const cursor = params.get('cursor') ?? undefined;
  const query: Record<string, string | undefined> = { limit: '50', cursor };
  for (const n of filterNames) query[n] = params.get(n) ?? undefined;
  mount(main, h('h1', {}, 'Work queue'), h('p.muted', { role: 'status' }, 'Loading…'));
  const [page, counts, xray] = await Promise.all([
    get<{ items: QueueItem[]; nextCursor: string | null }>('/v1/console/queue', query),
    get<QueueCounts>('/v1/console/queue/counts'),
    xrayAlerts(),
  ]);

  const topReasons = Object.entries(counts.byReason)
    .sort((a, b) => b[1] - a[1])
    .map(([k]) => k);
  const offices = Object.keys(counts.byOffice)
    .filter((o) => o !== '(none)')
    .sort();
  const filters = h(
    'form.filters',
    { 'aria-label': 'Queue filters', onsubmit: (e: Event) => e.preventDefault() },
    select(
      'state',
      'State',
      params.get('state'),
      [
        ['', 'All held states'],
        ...states.map((s) => withCount(counts.byState, s)),
        // Arrived parcels wait here only while a request for information is open.
        ...(counts.byState.arrived ? [withCount(counts.byState, 'arrived')] : []),
      ],
      params,
    ),
    select(
      'lane',
      'Lane',
      params.get('lane'),
      [['', 'All lanes'], ...lanes.filter((l) => counts.byLane[l]).map((l) => withCount(counts.byLane, l))],
      params,
    ),
    select(
      'office',
      'Office',
      params.get('office'),
      [['', 'All offices'], ...offices.map((o) => withCount(counts.byOffice, o))],
      params,
    ),
    select(
      'reason',
      'Reason (rule)',
      params.get('reason'),
      [['', 'All reasons'], ...topReasons.map((r) => withCount(counts.byReason, r))],
      params,
    ),
    // Requests for information the submitter has answered, waiting for an officer's review.
    select(
      'answered',
      'Information requests',
      params.get('answered'),
      [
        ['', 'Any'],
        ['true', `Answered, to review (${fmtInt(counts.answered ?? 0)})`],
        ['false', 'Not answered'],
      ],
      params,
    ),
    h(
      'div.field',
      {},
      h('label', { for: 'f-destination' }, 'Destination'),
      h('input', {
        id: 'f-destination',
        name: 'destination',
        value: params.get('destination') ?? '',
        placeholder: 'DE',
        maxlength: 2,
        size: 3,
        autocomplete: 'off',
        onchange: (e: Event) => {
          const next = new URLSearchParams(params);
          const v = (e.target as HTMLInputElement).value.trim().toUpperCase();
          if (/^[A-Z]{2}$/.test(v)) next.set('destination', v);
          else next.delete('destination');
          next.delete('cursor');
          navigate(next);
        },
      }),
    ),
    select('sort', 'Sort', params.get('sort') ?? 'newest', sorts, params),
  );

  const rows = page.items.map((it) =>
    h(
      'tr',
      { tabindex: 0, 'data-id': it.id, class: 'row' },
      h('td.num', {}, String(Math.round(it.riskScore))),
      h(
        'td',
        {},
        badge(it.state),
        // Priority handling (AEO): these come first in every order; sanctioned operators' last.
        ...(it.priority === 'high' || it.priority === 'low'
          ? [' ', badge(`${it.priority} priority`, `priority-${it.priority}`)]
          : []),
        ...(it.information === 'answered' ? [' ', badge('answered', 'answered')] : []),
      ),
      h('td', {}, badge(it.lane)),
      h('td', {}, it.office ?? '—'),
      h('td', {}, it.destination),
      h('td.reason', {}, h('span.rid', {}, it.reasons[0] ?? ''), ' ', it.topReason ?? ''),
      h('td.num', {}, `${it.dueAtBorder} ${it.currency}`),
      h('td', { title: it.createdAt }, ago(it.createdAt)),
      h(
        'td',
        {},
        h('a', { href: `#/c/${it.id}`, 'aria-label': `Open ${it.id}` }, 'Open'),
        ' ',
        xrayQueueLink(it.id, xray),
      ),
    ),
  );
  const table = h(
    'table.queue',
    { 'aria-label': 'Held consignments' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Risk', 'State', 'Lane', 'Office', 'Dest.', 'Top reason', 'Due at border', 'Received', ''].map((c) =>
          h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    h('tbody', {}, rows),
  );
  const open = (row: Element | null) => {
    const id = row?.getAttribute('data-id');
    if (id) location.hash = `#/c/${id}`;
  };
  table.addEventListener('click', (e) => {
    if ((e.target as Element).closest('a')) return;
    open((e.target as Element).closest('tr.row'));
  });
  table.addEventListener('keydown', (e) => {
    const row = (e.target as Element).closest('tr.row') as HTMLElement | null;
    if (!row || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Enter') open(row);
    else if (e.key === 'j' || e.key === 'ArrowDown') (row.nextElementSibling as HTMLElement | null)?.focus();
    else if (e.key === 'k' || e.key === 'ArrowUp')
      (row.previousElementSibling as HTMLElement | null)?.focus();
    else return;
    e.preventDefault();
  });

  const goNext = () => {
    if (!page.nextCursor) return;
    back.push(cursor ?? '');
    const next = new URLSearchParams(params);
    next.set('cursor', page.nextCursor);
    navigate(next);
  };
  const goPrev = () => {
    if (back.length === 0) return;
    const prevCursor = back.pop()!;
    const next = new URLSearchParams(params);
    if (prevCursor) next.set('cursor', prevCursor);
    else next.delete('cursor');
    navigate(next);
  };
  const pageNo = back.length + 1;
  const pager = h(
    'nav.pager',
    { 'aria-label': 'Queue pages' },
    h('button', { type: 'button', id: 'prev', disabled: back.length === 0, onclick: goPrev }, '← Previous'),
    h('span', { id: 'page-no' }, `Page ${pageNo}`),
    h('button', { type: 'button', id: 'next', disabled: !page.nextCursor, onclick: goNext }, 'Next →'),
  );
  const shown = Object.entries(Object.fromEntries(filterNames.map((n) => [n, params.get(n)]))).filter(
    ([k, v]) => v && k !== 'sort',
  );
  mount(
    main,
    h('h1', {}, 'Work queue'),
    h(
      'p.summary',
      { role: 'status', id: 'queue-summary' },
      h('strong', {}, fmtInt(counts.total)),
      ' consignments held — ',
      states.map((s) => `${fmtInt(counts.byState[s] ?? 0)} ${s.replace(/-/g, ' ')}`).join(', '),
      shown.length > 0 ? ` · filtered by ${shown.map(([k, v]) => `${k} ${v}`).join(', ')}` : '',
    ),
    xrayQueuePanel(xray),
    filters,
    page.items.length === 0
      ? h('p.empty', {}, 'Nothing in the queue for these filters.')
      : h('div.scroll', {}, table),
    pager,
    h('p.hint', {}, 'Keys: j / k or arrows move, Enter opens, n / p change page.'),
  );
  main.onkeydown = (e: KeyboardEvent) => {
    const tag = (e.target as Element).tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || e.ctrlKey || e.metaKey || e.altKey)
      return;
    if (e.key === 'n') goNext();
    else if (e.key === 'p') goPrev();
  };
  (main.querySelector('tr.row') as HTMLElement | null)?.focus({ preventScroll: true });
}
