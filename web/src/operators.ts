/**
 * Operators: the registry with each operator's AEO or credit status and compliance score; one
 * operator's statuses, facilitation, compliance score explained with its trend, data-quality
 * scorecard with its trend, and enforcement cases; data-quality scorecards of every submitter.
 */
import { ApiError, get } from './api.js';
import { trendLine } from './charts.js';
import { badge, counted, fmtInt, fmtPct, h, listTable, mount } from './dom.js';
import type { QualityReport } from './types.js';

interface Operator {
  id: string;
  kind: string;
  name: string;
  country: string;
  identifiers: { scheme: string; value: string }[];
  contacts: { name: string; role?: string; email?: string; phone?: string }[];
  platformId?: string;
  registeredAt: string;
  version: number;
}

interface Status {
  id: string;
  level: string;
  issuer: string;
  reference?: string;
  validFrom: string;
  validTo: string;
  state: string;
  effective?: string;
  history: { action: string; at: string; actor: string; reason?: string }[];
}

interface Compliance {
  operatorId: string;
  counts: Record<string, number>;
  score: {
    score: number;
    band: string;
    observations: number;
    components: { id: string; bad: number; of: number; weight: number; score: number; explanation: string }[];
  };
}

interface CaseSummary {
  id: string;
  kind: string;
  state: string;
  brandName?: string;
  platformId?: string;
  sellerId?: string;
  consignmentId?: string;
  openedAt: string;
}

const day = (iso: string) => iso.slice(0, 10);
const statusText = (s: Status) =>
  `${s.level} (${s.issuer}) ${s.effective ?? s.state}, valid ${day(s.validFrom)} to ${day(s.validTo)}`;
const bandKind = (band: string) => (band === 'high' ? 'released' : band === 'low' ? 'seized' : 'assessed');

/** The last `days` whole UTC days as a quality window [from, to). */
function qualityWindow(days: number): { from: string; to: string } {
  const to = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const from = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

const unavailable = (e: unknown) =>
  h('p.muted', {}, e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));

function qualityTable(report: QualityReport, id = 'quality-table'): HTMLElement {
  return h(
    'div.scroll',
    { tabindex: 0, role: 'region', 'aria-label': 'Data-quality scorecards' },
    h(
      'table.list',
      { id },
      h('caption.sr', {}, 'Data-quality scorecards'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            'Submitter',
            'Records',
            'Score',
            'Complete',
            'Vague',
            'Invalid HS',
            'Late',
            'Mismatch',
            'Trend',
          ].map((x) => h('th', { scope: 'col' }, x)),
        ),
      ),
      h(
        'tbody',
        {},
        report.submitters.map((s) =>
          h(
            'tr',
            { 'data-submitter': s.submitterId },
            h('td', {}, s.submitterId),
            h('td.num', {}, fmtInt(s.overall.records)),
            h('td.num.score', {}, s.overall.score.toFixed(1)),
            h('td.num', {}, fmtPct(s.overall.completeness)),
            h('td.num', {}, fmtPct(s.overall.vagueShare)),
            h('td.num', {}, fmtPct(s.overall.invalidHsShare)),
            h('td.num', {}, fmtPct(s.overall.lateShare)),
            h('td.num', {}, fmtPct(s.overall.mismatchRate)),
            h(
              'td.spark',
              {},
              trendLine(
                `Data-quality score of ${s.submitterId} per ${report.period}`,
                s.trend.map((t) => ({ label: t.period, value: t.score })),
                { max: 100, width: 220 },
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The registry, one page at a time, with status and compliance per operator; quality of every submitter. */
export async function operatorsPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  mount(main, h('h1', {}, 'Operators'), h('p.muted', { role: 'status' }, 'Loading the registry…'));
  const kind = params.get('kind') ?? '';
  const cursor = params.get('cursor') ?? undefined;
  const page = await get<{ items: Operator[]; nextCursor: string | null }>('/v1/operators', {
    kind: kind || undefined,
    cursor,
    limit: '25',
  });
  const details = await Promise.all(
    page.items.map(async (o) => {
      const [st, co] = await Promise.all([
        get<{ statuses: Status[] }>(`/v1/operators/${o.id}/statuses`).catch(() => ({ statuses: [] })),
        get<Compliance>(`/v1/operators/${o.id}/compliance`).catch(() => undefined),
      ]);
      return { statuses: st.statuses, compliance: co };
    }),
  );
  const w = qualityWindow(30);
  const quality = await get<QualityReport>('/v1/quality/scorecards', { ...w, period: 'day' }).catch(
    (e: unknown) => e as ApiError,
  );
  const kinds = ['', 'platform', 'seller', 'carrier', 'postal-operator', 'broker', 'payment-provider'];
  mount(
    main,
    h('h1', {}, 'Operators'),
    h(
      'form.filters',
      { 'aria-label': 'Registry filters', onsubmit: (e: Event) => e.preventDefault() },
      h(
        'div.field',
        {},
        h('label', { for: 'o-kind' }, 'Kind'),
        h(
          'select',
          {
            id: 'o-kind',
            onchange: (e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              location.hash = v ? `#/operators?kind=${v}` : '#/operators';
            },
          },
          kinds.map((k) => h('option', { value: k, selected: k === kind }, k || 'all')),
        ),
      ),
    ),
    h(
      'p.summary',
      { role: 'status', id: 'operators-summary' },
      `${counted(page.items.length, 'operator')} on this page`,
      kind ? ` · kind ${kind}` : '',
    ),
    page.items.length === 0
      ? h('p.empty', {}, 'No operator is registered yet.')
      : listTable(
          'operators',
          'Registered operators',
          ['Operator', 'Kind', 'Country', 'Identifiers', 'AEO / credit status', 'Compliance'],
          page.items.map((o, i) => {
            const d = details[i]!;
            const inForce = d.statuses.filter((s) => (s.effective ?? s.state) === 'in-force');
            return h(
              'tr',
              { 'data-id': o.id },
              h('td', {}, h('a', { href: `#/operators/${o.id}` }, o.name), h('br'), h('small', {}, o.id)),
              h('td', {}, o.kind),
              h('td', {}, o.country),
              h('td', {}, o.identifiers.map((x) => `${x.scheme} ${x.value}`).join(', ') || '—'),
              h(
                'td.status',
                {},
                inForce.length > 0
                  ? inForce.map((s) => badge(`${s.level} ${s.issuer}`, 'released'))
                  : d.statuses.length > 0
                    ? d.statuses.map((s) => badge(`${s.level} ${s.effective ?? s.state}`, 'held'))
                    : '—',
              ),
              h(
                'td',
                {},
                d.compliance
                  ? [
                      h('strong', {}, d.compliance.score.score.toFixed(0)),
                      ' ',
                      badge(d.compliance.score.band, bandKind(d.compliance.score.band)),
                    ]
                  : '—',
              ),
            );
          }),
        ),
    h(
      'nav.pager',
      { 'aria-label': 'Registry pages' },
      cursor ? h('a', { href: `#/operators${kind ? `?kind=${kind}` : ''}` }, '← First page') : null,
      page.nextCursor
        ? h(
            'a',
            {
              id: 'operators-next',
              href: `#/operators?${new URLSearchParams({ ...(kind ? { kind } : {}), cursor: page.nextCursor })}`,
            },
            'Next →',
          )
        : null,
    ),
    h(
      'section.card',
      { id: 'quality' },
      h('h2', {}, `Data quality by submitter, ${w.from} to ${w.to} (exclusive)`),
      quality instanceof ApiError
        ? unavailable(quality)
        : quality.submitters.length === 0
          ? h('p.empty', {}, 'No declarations in this window.')
          : qualityTable(quality),
    ),
  );
}

/** One operator: identity, statuses, facilitation, compliance with its trend, quality, enforcement. */
export async function operatorPage(main: HTMLElement, id: string): Promise<void> {
  mount(main, h('h1', {}, 'Operator'), h('p.muted', { role: 'status' }, 'Loading…'));
  const enc = encodeURIComponent(id);
  const w = qualityWindow(90);
  const soft = <T>(p: Promise<T>) => p.catch((e: unknown) => e as ApiError);
  const [o, statuses, facilitation, compliance, history, enforcement, quality] = await Promise.all([
    get<Operator>(`/v1/operators/${enc}`),
    soft(get<{ statuses: Status[] }>(`/v1/operators/${enc}/statuses`)),
    soft(
      get<{ reasons: string[]; inspectionRateMultiplier: number; priority: string }>(
        `/v1/operators/${enc}/facilitation`,
      ),
    ),
    soft(get<Compliance>(`/v1/operators/${enc}/compliance`)),
    soft(
      get<{ history: { at: string; score: number; band: string; cause: string }[] }>(
        `/v1/operators/${enc}/compliance/history`,
      ),
    ),
    soft(
      get<{ confirmedCases: number; cases: CaseSummary[]; answers: { action: string; at: string }[] }>(
        `/v1/operators/${enc}/enforcement`,
      ),
    ),
    soft(get<QualityReport>('/v1/quality/scorecards', { ...w, period: 'week', submitter: id })),
  ]);
  const card = (title: string, ...body: (Node | string | null | Node[])[]) =>
    h('section.card', {}, h('h2', {}, title), ...body);
  mount(
    main,
    h('p', {}, h('a', { href: '#/operators' }, '← Operators')),
    h('h1', {}, o.name),
    h(
      'p.facts',
      {},
      `${o.kind} · ${o.country} · `,
      h('code', {}, o.id),
      ` · registered ${day(o.registeredAt)} · version ${o.version}`,
      o.platformId ? [' · sells on ', h('a', { href: `#/operators/${o.platformId}` }, o.platformId)] : '',
    ),
    h(
      'div.grid',
      {},
      card(
        'Identifiers and contacts',
        h(
          'ul',
          {},
          o.identifiers.map((x) => h('li', {}, `${x.scheme} `, h('code', {}, x.value))),
          o.contacts.map((c) =>
            h('li', {}, `${c.name}${c.role ? ` (${c.role})` : ''}${c.email ? ` · ${c.email}` : ''}`),
          ),
        ),
      ),
      card(
        'AEO and credit status',
        statuses instanceof ApiError
          ? unavailable(statuses)
          : statuses.statuses.length === 0
            ? h('p', {}, 'No status granted.')
            : h(
                'ul',
                { id: 'statuses' },
                statuses.statuses.map((s) =>
                  h(
                    'li',
                    {},
                    badge(
                      s.effective ?? s.state,
                      (s.effective ?? s.state) === 'in-force' ? 'released' : 'held',
                    ),
                    ' ',
                    statusText(s),
                    s.reference ? ` · ref ${s.reference}` : '',
                    h(
                      'div.why',
                      {},
                      s.history
                        .map(
                          (x) => `${x.action} ${day(x.at)} by ${x.actor}${x.reason ? `: ${x.reason}` : ''}`,
                        )
                        .join(' · '),
                    ),
                  ),
                ),
              ),
        facilitation instanceof ApiError
          ? null
          : h(
              'p',
              { id: 'facilitation' },
              `Facilitation: inspection rate × ${Number(facilitation.inspectionRateMultiplier.toFixed(3))}, priority ${facilitation.priority}. `,
              facilitation.reasons.join(' '),
            ),
      ),
      card(
        'Compliance score',
        compliance instanceof ApiError
          ? unavailable(compliance)
          : h(
              'div',
              { id: 'compliance' },
              h(
                'p.big',
                {},
                h('strong', { id: 'compliance-score' }, compliance.score.score.toFixed(0)),
                ' / 100 ',
                badge(compliance.score.band, bandKind(compliance.score.band)),
                ` · ${fmtInt(compliance.score.observations)} observations`,
              ),
              h(
                'ul',
                {},
                compliance.score.components.map((c) =>
                  h(
                    'li',
                    {},
                    h('strong', {}, `${c.id} ${c.score.toFixed(0)}`),
                    ` (weight ${c.weight}): ${c.explanation}`,
                  ),
                ),
              ),
            ),
        history instanceof ApiError || history.history.length === 0
          ? h('p.muted', {}, 'No score changes recorded yet.')
          : trendLine(
              'Compliance score over time',
              history.history.map((p) => ({ label: day(p.at), value: p.score })),
              { max: 100 },
            ),
      ),
      card(
        'Data quality (weekly)',
        quality instanceof ApiError
          ? unavailable(quality)
          : quality.submitters.length === 0
            ? h('p', {}, `No declarations submitted by this operator from ${w.from} to ${w.to}.`)
            : [
                h(
                  'p.big',
                  { id: 'quality-score' },
                  h('strong', {}, quality.submitters[0]!.overall.score.toFixed(1)),
                  ` / 100 over ${fmtInt(quality.submitters[0]!.overall.records)} records`,
                ),
                trendLine(
                  'Data-quality score per week',
                  quality.submitters[0]!.trend.map((t) => ({ label: t.period, value: t.score })),
                  { max: 100 },
                ),
                h(
                  'ul',
                  {},
                  quality.submitters[0]!.overall.findings.map((f) => h('li', {}, f)),
                ),
              ],
      ),
    ),
    card(
      'Enforcement',
      enforcement instanceof ApiError
        ? unavailable(enforcement)
        : enforcement.cases.length === 0
          ? h('p', {}, 'No enforcement case involves this operator.')
          : [
              h('p', {}, `${fmtInt(enforcement.confirmedCases)} confirmed case(s).`),
              h(
                'ul',
                { id: 'operator-cases' },
                enforcement.cases.map((c) =>
                  h(
                    'li',
                    {},
                    h('a', { href: `#/cases/${c.id}` }, c.id),
                    ' ',
                    badge(c.state),
                    ` ${c.kind}${c.brandName ? ` · ${c.brandName}` : ''} · opened ${day(c.openedAt)}`,
                  ),
                ),
              ),
            ],
    ),
  );
}
