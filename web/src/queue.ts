/** The work queue: held consignments with filters, sort and server-side keyset paging; keyboard triage. */
import { ApiError, get, post } from './api.js';
import { claimBadge, mayClaim } from './claim.js';
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
const filterNames = [
  'state',
  'lane',
  'office',
  'reason',
  'answered',
  'destination',
  'claim',
  'sort',
] as const;

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
    // Work-queue claims: rows nobody is working on, or the caller's own.
    select(
      'claim',
      'Claims',
      params.get('claim'),
      [
        ['', 'All'],
        ['unclaimed', 'Unclaimed'],
        ['mine', 'Claimed by me'],
      ],
      params,
    ),
    select('sort', 'Sort', params.get('sort') ?? 'newest', sorts, params),
  );

  // "Claim next": the first unclaimed row under these filters and this order, opened at once.
  const claimStatus = h('span.form-status', { role: 'status', id: 'claim-next-status' }, '');
  const claimNext = async () => {
    if (!mayClaim()) return;
    const button = main.querySelector('#claim-next') as HTMLButtonElement | null;
    if (button) button.disabled = true;
    claimStatus.textContent = 'Claiming…';
    const body: Record<string, string | boolean> = {};
    for (const n of ['state', 'lane', 'office', 'reason', 'destination', 'sort'] as const) {
      const v = params.get(n);
      if (v) body[n] = v;
    }
    const answered = params.get('answered');
    if (answered) body.answered = answered === 'true';
    try {
      const r = await post<{ item: QueueItem | null }>('/v1/console/queue/claim-next', body);
      if (r.item) location.hash = `#/c/${r.item.id}`;
      else claimStatus.textContent = 'Nothing left to claim under these filters.';
    } catch (err) {
      claimStatus.textContent = err instanceof ApiError ? `Not claimed: ${err.message}` : String(err);
    } finally {
      if (button) button.disabled = false;
    }
  };
  const claimBar = mayClaim()
    ? h(
        'p.claim-next',
        {},
        h(
          'button',
          { type: 'button', id: 'claim-next', class: 'primary', onclick: () => void claimNext() },
          'Claim next',
        ),
        ' ',
        claimStatus,
      )
    : null;

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
        ...(it.claim ? [' ', claimBadge(it.claim)] : []),
      ),
      h('td', {}, badge(it.lane)),
      h('td', {}, it.office ?? '—'),
      h('td', {}, it.destination),
      // Roles that may not read reasons (analysts, admins) get the rule id as the top reason: once.
      h(
        'td.reason',
        {},
        h('span.rid', {}, it.reasons[0] ?? ''),
        it.topReason && it.topReason !== it.reasons[0] ? ` ${it.topReason}` : '',
      ),
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
    claimBar,
    page.items.length === 0
      ? h('p.empty', {}, 'Nothing in the queue for these filters.')
      : h('div.scroll', {}, table),
    pager,
    h(
      'p.hint',
      {},
      `Keys: j / k or arrows move, Enter opens, n / p change page${mayClaim() ? ', c claims the next unclaimed one' : ''}.`,
    ),
  );
  main.onkeydown = (e: KeyboardEvent) => {
    const tag = (e.target as Element).tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || e.ctrlKey || e.metaKey || e.altKey)
      return;
    if (e.key === 'n') goNext();
    else if (e.key === 'p') goPrev();
    else if (e.key === 'c') void claimNext();
  };
  (main.querySelector('tr.row') as HTMLElement | null)?.focus({ preventScroll: true });
}
