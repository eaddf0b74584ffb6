/**
 * Enforcement cases (platform partnership): the list, newest first, and one case with its evidence,
 * history and the actions its state allows (confirm, dismiss, seize, dispose), each with a reason.
 */
import { currentIdentity, get, mayCall, post } from './api.js';
import { badge, counted, h, listTable, mount } from './dom.js';
import { reasonOf, showError } from './forms.js';

interface EnforcementCase {
  id: string;
  kind: string;
  state: string;
  consignmentId?: string;
  brandId?: string;
  brandName?: string;
  hazard?: string;
  platformId?: string;
  sellerId?: string;
  sellerOperatorId?: string;
  platformOperatorId?: string;
  listingUrl?: string;
  note?: string;
  disposal?: string;
  noticeId?: string;
  evidence: { kind: string; reference?: string; at: string; by: string }[];
  openedAt: string;
  history: { action: string; at: string; actor: string; reason?: string }[];
}

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** The actions each state allows (the API enforces the same table and explains a refusal). */
const allowed: Record<string, string[]> = {
  opened: ['confirm', 'dismiss'],
  confirmed: ['seize'],
  seized: ['dispose'],
};
const disposals = ['destroyed', 'recycled', 'donated', 'returned-to-rights-holder'];

/** Cases, newest first (optionally of one seller operator). */
export async function casesPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  mount(main, h('h1', {}, 'Enforcement cases'), h('p.muted', { role: 'status' }, 'Loading…'));
  const seller = params.get('seller') ?? undefined;
  const list = await get<{ items: EnforcementCase[] }>('/v1/cases', { seller, limit: '200' });
  const byState = new Map<string, number>();
  for (const c of list.items) byState.set(c.state, (byState.get(c.state) ?? 0) + 1);
  mount(
    main,
    h('h1', {}, 'Enforcement cases'),
    h(
      'p.summary',
      { role: 'status', id: 'cases-summary' },
      counted(list.items.length, 'case'),
      byState.size > 0 ? ` — ${[...byState].map(([s, n]) => `${n} ${s}`).join(', ')}` : '',
      seller ? ` · seller ${seller}` : '',
    ),
    list.items.length === 0
      ? h('p.empty', {}, 'No enforcement case has been opened.')
      : listTable(
          'cases',
          'Enforcement cases',
          ['Case', 'State', 'Kind', 'Brand or hazard', 'Seller', 'Consignment', 'Opened'],
          list.items.map((c) =>
            h(
              'tr',
              { 'data-id': c.id },
              h('td', {}, h('a', { href: `#/cases/${c.id}` }, c.id)),
              h('td', {}, badge(c.state)),
              h('td', {}, c.kind),
              h('td', {}, c.brandName ?? c.hazard ?? '—'),
              h(
                'td',
                {},
                c.sellerOperatorId
                  ? h('a', { href: `#/operators/${c.sellerOperatorId}` }, c.sellerId ?? c.sellerOperatorId)
                  : `${c.platformId ?? ''}${c.sellerId ? ` / ${c.sellerId}` : ''}` || '—',
              ),
              h(
                'td',
                {},
                c.consignmentId ? h('a', { href: `#/c/${c.consignmentId}` }, c.consignmentId) : '—',
              ),
              h('td', {}, when(c.openedAt)),
            ),
          ),
        ),
  );
}

/** One case with its evidence, history and actions. */
export async function casePage(main: HTMLElement, id: string, flash?: string): Promise<void> {
  if (flash === undefined) mount(main, h('p.muted', { role: 'status' }, 'Loading…'));
  const c = await get<EnforcementCase>(`/v1/cases/${encodeURIComponent(id)}`);
  const status = h('p.form-status.ok', { role: 'status', id: 'case-status' }, flash ?? '');
  const actions = allowed[c.state] ?? [];
  const action = h(
    'select',
    { id: 'c-action', name: 'action' },
    actions.map((a) => h('option', { value: a }, a)),
  ) as HTMLSelectElement;
  const reason = h('textarea', { id: 'c-reason', rows: 2, maxlength: 2000 }) as HTMLTextAreaElement;
  const disposal = h(
    'select',
    { id: 'c-disposal' },
    h('option', { value: '' }, '(not disposing)'),
    disposals.map((d) => h('option', { value: d }, d)),
  ) as HTMLSelectElement;
  const form =
    actions.length === 0
      ? h('p.muted', {}, `No action applies to a ${c.state} case.`)
      : !mayCall('POST', '/v1/cases/:id/actions')
        ? // Analysts and auditors read cases; officers and supervisors act on them (the role table).
          h('p.muted', { id: 'case-denied' }, `Your role (${currentIdentity().role}) may not act on cases.`)
        : h(
            'form.decide',
            {
              'aria-label': 'Case action',
              novalidate: true,
              onsubmit: async (e: Event) => {
                e.preventDefault();
                const text = reasonOf(reason, status);
                if (text === undefined) return;
                try {
                  await post(`/v1/cases/${encodeURIComponent(id)}/actions`, {
                    action: action.value,
                    reason: text,
                    ...(disposal.value ? { disposal: disposal.value } : {}),
                  });
                  await casePage(main, id, `Recorded: ${action.value}`);
                } catch (err) {
                  showError(status, err);
                }
              },
            },
            h('div.field', {}, h('label', { for: 'c-action' }, 'Action'), action),
            h('div.field.grow', {}, h('label', { for: 'c-reason' }, 'Reason (required)'), reason),
            h('div.field', {}, h('label', { for: 'c-disposal' }, 'Disposal'), disposal),
            h('div.field', {}, h('button.primary', { type: 'submit' }, 'Record')),
          );
  const fact = (k: string, v: Node | string | undefined | null) =>
    v ? [h('dt', {}, k), h('dd', {}, v)] : [];
  mount(
    main,
    h('p', {}, h('a', { href: '#/cases' }, '← Enforcement cases')),
    h('h1', {}, 'Case ', h('code', {}, c.id)),
    h(
      'p.facts',
      {},
      h('span', { id: 'case-state' }, badge(c.state)),
      ` ${c.kind} · opened ${when(c.openedAt)}`,
    ),
    h('section.card', {}, h('h2', {}, 'Action'), form, status),
    h(
      'section.card',
      {},
      h('h2', {}, 'Facts'),
      h(
        'dl.facts-list',
        {},
        fact('Brand', c.brandName),
        fact('Hazard', c.hazard),
        fact(
          'Platform',
          c.platformOperatorId
            ? h('a', { href: `#/operators/${c.platformOperatorId}` }, c.platformId ?? c.platformOperatorId)
            : c.platformId,
        ),
        fact(
          'Seller',
          c.sellerOperatorId
            ? h('a', { href: `#/operators/${c.sellerOperatorId}` }, c.sellerId ?? c.sellerOperatorId)
            : c.sellerId,
        ),
        fact(
          'Consignment',
          c.consignmentId ? h('a', { href: `#/c/${c.consignmentId}` }, c.consignmentId) : undefined,
        ),
        fact('Listing', c.listingUrl),
        fact('Platform notice', c.noticeId),
        fact('Disposal', c.disposal),
        fact('Note', c.note),
      ),
    ),
    h(
      'section.card',
      {},
      h('h2', {}, `Evidence (${c.evidence.length})`),
      c.evidence.length === 0
        ? h('p', {}, 'No evidence recorded.')
        : h(
            'ul',
            { id: 'case-evidence' },
            c.evidence.map((e) =>
              h('li', {}, h('strong', {}, e.kind), ` ${e.reference ?? ''} · ${when(e.at)} by ${e.by}`),
            ),
          ),
    ),
    h(
      'section.card',
      {},
      h('h2', {}, 'History'),
      h(
        'ol.timeline',
        { id: 'case-history' },
        c.history.map((x) =>
          h(
            'li',
            {},
            h('time', { datetime: x.at }, when(x.at)),
            ' ',
            h('strong', {}, x.action),
            ` · ${x.actor}`,
            x.reason ? h('div.why', {}, `“${x.reason}”`) : null,
          ),
        ),
      ),
    ),
  );
}
