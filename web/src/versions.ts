/**
 * The consignment page's version history (GET /v1/consignments/{id}/history): every earlier version
 * beside the current one — when, which sources it had, its state, lane, risk score and amounts — with
 * the cells that changed from the version before marked.
 */
import { ApiError, get } from './api.js';
import { h, mount } from './dom.js';
import type { Consignment } from './types.js';

interface History {
  current: number;
  versions: Consignment[];
}

const columns = ['Version', 'Updated', 'Sources', 'State', 'Lane', 'Risk score', 'Due at border', 'Total'];

function cells(c: Consignment): string[] {
  const a = c.assessment;
  return [
    String(c.version),
    c.updatedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    c.sources.map((s) => s.kind).join(', '),
    c.state,
    a.risk.lane,
    String(Math.round(a.risk.score)),
    `${a.revenue.dueAtBorder} ${a.revenue.currency}`,
    `${a.revenue.total} ${a.revenue.currency}`,
  ];
}

/** Fills `slot` with the versions of `current`; says so when the role may not read them. */
export async function fillHistory(slot: Element | null, current: Consignment): Promise<void> {
  if (!slot) return;
  let history: History;
  try {
    history = await get<History>(`/v1/consignments/${encodeURIComponent(current.id)}/history`);
  } catch (e) {
    const text =
      e instanceof ApiError && e.status === 403
        ? 'Your role may not see earlier versions.'
        : `Earlier versions are not available: ${e instanceof Error ? e.message : String(e)}`;
    mount(slot, h('h2', { id: 's-history' }, 'History'), h('p.muted', {}, text));
    return;
  }
  const all = [...history.versions.filter((v) => v.version !== current.version), current].sort(
    (x, y) => x.version - y.version,
  );
  const rows = all.map(cells);
  mount(
    slot,
    h('h2', { id: 's-history' }, 'History'),
    all.length === 1
      ? h(
          'p',
          {},
          'No earlier versions: the consignment has not been amended or linked since it was created.',
        )
      : h('p', {}, `${all.length} versions; cells that changed from the version before are marked.`),
    h(
      'div.scroll',
      { tabindex: 0, role: 'region', 'aria-label': 'Versions of the consignment' },
      h(
        'table.list',
        { id: 'versions' },
        h('caption.sr', {}, 'Versions of the consignment, oldest first'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            columns.map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((r, i) =>
            h(
              'tr',
              { 'data-version': r[0]! },
              r.map((cell, j) =>
                j > 1 && i > 0 && rows[i - 1]![j] !== cell
                  ? h('td.changed', { title: `was ${rows[i - 1]![j]}` }, h('mark', {}, cell))
                  : h('td', {}, cell),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
