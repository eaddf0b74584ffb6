/**
 * A consignment: decision actions (with a required reason), the risk explanation, the tax breakdown,
 * all sources side by side with their disagreements, and the event timeline.
 */
import { get } from './api.js';
import { badge, fmtRate, h, mount } from './dom.js';
import { fillHsCheck } from './hs-check.js';
import { fillHistory } from './versions.js';
import { fillXrayLink } from './screening.js';
import { fillInformation } from './information.js';
import { claimBar, claimNotice, heldByOther, mayOverride, readClaim, whenClaimEnds } from './claim.js';
import { actionForm, actionLabel, mayDecide } from './decide.js';
import type { ClearanceEvent, Consignment, Input } from './types.js';

/** Triage keys on the consignment page: pick the action and move to its reason. */
const actionKeys: Record<string, string> = {
  r: 'release',
  i: 'request-information',
  x: 'inspect',
  s: 'seize',
  t: 'return',
};

function section(title: string, ...body: (Node | string | null)[]): HTMLElement {
  const id = `s-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return h('section.card', { 'aria-labelledby': id }, h('h2', { id }, title), ...body);
}

/** A table in a box that scrolls sideways on its own in a narrow window (a keyboard stop then). */
function table(caption: string, head: string[], rows: (Node | string)[][], cls = ''): HTMLElement {
  return h(
    'div.scroll',
    { tabindex: 0, role: 'region', 'aria-label': caption },
    tableOnly(caption, head, rows, cls),
  );
}

function tableOnly(caption: string, head: string[], rows: (Node | string)[][], cls = ''): HTMLElement {
  return h(
    `table${cls ? `.${cls}` : ''}`,
    {},
    h('caption.sr', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          r.map((c) => h('td', {}, c)),
        ),
      ),
    ),
  );
}

/** The fields compared across sources: label and how to read it from a record's data. */
function facts(d: Input): [string, string][] {
  const items = d.items ?? [];
  const out: [string, string][] = [
    ['Transport document', d.transportDocument?.id ?? ''],
    ['Order', d.platform?.orderId ? `${d.platform.id ?? ''} ${d.platform.orderId}` : ''],
    ['Payment', d.payment?.amount ? `${d.payment.amount.amount} ${d.payment.amount.currency}` : ''],
    ['Seller', d.seller?.name ?? ''],
    [
      'Consignee',
      [d.consignee?.name, d.consignee?.address?.city, d.consignee?.address?.country]
        .filter(Boolean)
        .join(', '),
    ],
    [
      'Route',
      d.routing ? `${d.routing.dispatchCountry ?? '?'} → ${d.routing.destinationCountry ?? '?'}` : '',
    ],
  ];
  items.forEach((it, i) => {
    out.push([
      `Item ${i + 1}`,
      `${it.quantity ?? '?'} × ${it.description} · HS ${it.hsCode ?? '—'} · ${it.origin ?? '—'} · ${it.value ? `${it.value.amount} ${it.value.currency}` : '—'}`,
    ]);
  });
  return out;
}

function sourcesSideBySide(c: Consignment): HTMLElement {
  const perSource = c.sources.map((s) => new Map(facts(s.data)));
  const labels = [...new Set(perSource.flatMap((m) => [...m.keys()]))];
  const head = ['', ...c.sources.map((s) => `${s.kind} (${s.submitterId})`)];
  const rows = labels.map((label) => {
    const values = perSource.map((m) => m.get(label) ?? '');
    const present = values.filter((v) => v !== '');
    const differs = new Set(present).size > 1;
    return [
      h('th', { scope: 'row' }, label),
      ...values.map((v) =>
        h(differs ? 'td.differs' : 'td', {}, v || '—', differs ? h('span.sr', {}, ' (differs)') : null),
      ),
    ];
  });
  return h(
    'table.sources',
    {},
    h('caption.sr', {}, 'Source records side by side; cells that disagree are marked'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((cells) => h('tr', {}, cells)),
    ),
  );
}

const queuedStates = ['held-for-information', 'held-for-inspection', 'do-not-load'];

/** A contribution with its sign: +40, −15 (trust lowers the score). */
const signed = (v: number): string => (v < 0 ? `−${Math.round(-v)}` : `+${Math.round(v)}`);

/** Says so when the contributions do not add up to the score (it is kept between 0 and 100). */
function hitsTotalNote(hits: readonly { score: number }[], score: number): HTMLElement | null {
  const sum = Math.round(hits.reduce((t, x) => t + x.score, 0));
  if (hits.length === 0 || sum === Math.round(score)) return null;
  return h(
    'p.muted',
    { id: 'hits-total' },
    `Contributions add up to ${sum}; the risk score is kept between 0 and 100: ${Math.round(score)}.`,
  );
}

/**
 * The latest officer decision in the event log (the events of an officer's action carry the trigger
 * `officer.<action>`), or undefined when no officer has decided yet.
 */
function lastOfficerDecision(
  events: ClearanceEvent[],
): { action: string; event: ClearanceEvent } | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    const trigger = e.data?.trigger;
    if (typeof trigger === 'string' && trigger.startsWith('officer.'))
      return { action: trigger.slice('officer.'.length), event: e };
  }
  return undefined;
}

/** Renders the page of consignment `id`. */
export async function detailPage(main: HTMLElement, id: string, flash?: string): Promise<void> {
  if (flash === undefined) mount(main, h('p.muted', { role: 'status' }, 'Loading…'));
  const [c, ev, claim] = await Promise.all([
    get<Consignment>(`/v1/consignments/${encodeURIComponent(id)}`),
    get<{ events: ClearanceEvent[] }>(`/v1/consignments/${encodeURIComponent(id)}/events`),
    readClaim(id),
  ]);
  const a = c.assessment;
  const rev = a.revenue;
  const reload = (message: string) =>
    void detailPage(main, id, message).then(() =>
      (main.querySelector('#state') as HTMLElement | null)?.focus(),
    );
  const hits = [...a.risk.hits].sort((x, y) => y.score - x.score);
  const decided = lastOfficerDecision(ev.events);
  const bar =
    // Claims are on queued consignments: held, or arrived with a request for information open.
    queuedStates.includes(c.state) || c.informationOpen === true || claim !== null
      ? claimBar(c.id, claim, reload)
      : null;
  mount(
    main,
    h('p', {}, h('a', { href: '#/queue' }, '← Work queue')),
    h('h1', {}, 'Consignment ', h('code', {}, c.id)),
    h('p', { id: 'xray-slot' }),
    h(
      'p.facts',
      {},
      h('span', { id: 'state', tabindex: -1 }, 'State ', badge(c.state)),
      ' Lane ',
      badge(a.risk.lane),
      // The assessment's decision is the engine's, at intake; what officers decided since follows it.
      ' Assessment decision ',
      h('strong', { id: 'assessed-decision' }, a.decision),
      decided
        ? [
            // An X-ray alert's hold is an inspect too (docs/screening.md), not an officer's.
            decided.event.data?.source === 'screening' ? ' · X-ray alert ' : ' · Officer decision ',
            h('strong', { id: 'officer-decision' }, actionLabel(decided.action)),
            ` (${decided.event.actor})`,
          ]
        : null,
      ` · risk score ${Math.round(a.risk.score)} · security ${a.risk.security} · version ${c.version}`,
      a.risk.randomSelected ? ' · random control sample' : '',
    ),
    h('section.card', { id: 'information-slot', 'aria-labelledby': 's-information', hidden: '' }),
    section(
      'Decision',
      bar,
      // Another officer's claim is said before anyone types a reason (to those who may decide).
      mayDecide() ? claimNotice(claim) : null,
      actionForm(c, reload, flash, claim),
    ),
    section(
      'Why it was held',
      hits.length === 0
        ? h('p', {}, 'No rule or indicator fired.')
        : h(
            'ol.hits',
            {},
            hits.map((x) =>
              h(
                'li',
                {},
                h('span.contrib', { title: 'contribution to the risk score' }, signed(x.score)),
                ' ',
                h('strong', {}, x.reason),
                h('br'),
                h('small', {}, `${x.kind} ${x.id}${x.lane ? ` · lane ${x.lane}` : ''}`),
              ),
            ),
          ),
      hitsTotalNote(hits, a.risk.score),
      h('p.muted', {}, `Rule set ${a.risk.ruleSetVersion}`),
    ),
    section(
      'Duty and taxes',
      h(
        'p',
        {},
        `${rev.jurisdiction} · collection: ${rev.collectionModel} · intrinsic value ${rev.intrinsicValue} ${rev.currency} · customs value ${rev.customsValue} ${rev.currency}`,
      ),
      table(
        'Tax lines',
        ['Type', 'Item', 'Base', 'Rate', 'Amount', 'Collected by', 'Explanation'],
        rev.lines.map((l) => [
          l.type,
          l.itemIndex === undefined ? 'all' : String(l.itemIndex + 1),
          l.base,
          fmtRate(l.rate),
          l.amount,
          l.collectedBy,
          `${l.explanation} (${l.measure})`,
        ]),
        'lines',
      ),
      h(
        'p.totals',
        {},
        // What is due now (zero once seized, returned or abandoned), as the response says; else assessed.
        h(
          'span',
          {},
          'Due at border ',
          h('strong', { id: 'due' }, `${c.dueAtBorder ?? rev.dueAtBorder} ${rev.currency}`),
        ),
        c.dueAtBorder !== undefined && c.dueAtBorder !== rev.dueAtBorder
          ? h(
              'span',
              { id: 'assessed-due' },
              `Assessed ${rev.dueAtBorder} ${rev.currency}, not due: ${c.state}`,
            )
          : null,
        h('span', {}, `Prepaid ${rev.prepaid} ${rev.currency}`),
        h('span', {}, `Total ${rev.total} ${rev.currency}`),
      ),
      rev.notes.length > 0
        ? h(
            'ul.notes',
            {},
            rev.notes.map((n) => h('li', {}, n)),
          )
        : null,
    ),
    h('section.card', { id: 'hs-check-slot', 'aria-labelledby': 's-hs-check', hidden: '' }),
    h(
      'section.card',
      { id: 'history-slot', 'aria-labelledby': 's-history' },
      h('h2', { id: 's-history' }, 'History'),
      h('p.muted', {}, 'Loading earlier versions'),
    ),
    section(
      'Sources',
      h(
        'div.scroll',
        { tabindex: 0, role: 'region', 'aria-label': 'Sources side by side' },
        sourcesSideBySide(c),
      ),
      c.mismatches.length === 0
        ? h('p', {}, 'The sources agree.')
        : h(
            'div',
            {},
            h('h3', {}, `${c.mismatches.length} disagreement${c.mismatches.length > 1 ? 's' : ''}`),
            h(
              'ul.mismatches',
              {},
              c.mismatches.map((m) => h('li', {}, m.message)),
            ),
          ),
    ),
    section(
      'Events',
      h(
        'ol.timeline',
        { id: 'timeline' },
        ev.events.map((e) =>
          h(
            'li',
            {},
            h('time', { datetime: e.at }, e.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')),
            ' ',
            h('strong', {}, e.type.replace(/^consignment\./, '')),
            e.from || e.to ? ` ${e.from ?? '∅'} → ${e.to ?? '∅'}` : '',
            ` · ${e.actor}`,
            e.reason ? h('div.why', {}, `“${e.reason}”`) : null,
            typeof e.data?.finding === 'string' ? h('div.why', {}, `finding: ${e.data.finding}`) : null,
            typeof e.data?.explanation === 'string'
              ? h('div.why', {}, `answer: “${e.data.explanation}”`)
              : null,
          ),
        ),
      ),
    ),
  );
  // The form waits for another officer's claim: once it runs out, the page reads it again (the form
  // holds nothing typed meanwhile; a supervisor's form is left alone).
  if (bar !== null && claim !== null && heldByOther(claim) && mayDecide() && !mayOverride())
    whenClaimEnds(bar, claim, () => void detailPage(main, id, ''));
  void fillXrayLink(main.querySelector('#xray-slot'), c.id);
  // Held for information, or arrived with the request still open.
  if (c.state === 'held-for-information' || c.informationOpen === true)
    void fillInformation(main.querySelector('#information-slot'), c.id);
  void fillHsCheck(main.querySelector('#hs-check-slot'), c.merged.items ?? []);
  void fillHistory(main.querySelector('#history-slot'), c);
  main.append(
    h(
      'p.hint',
      {},
      'Keys: r release, i request information, x inspect, s seize, t return (then type the reason), c claim, u release the claim, q back to the queue.',
    ),
  );
  main.onkeydown = (e: KeyboardEvent) => {
    const tag = (e.target as Element).tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || e.ctrlKey || e.metaKey || e.altKey)
      return;
    if (e.key === 'q') {
      location.hash = '#/queue';
      return;
    }
    if (e.key === 'c' || e.key === 'u') {
      (main.querySelector(e.key === 'c' ? '#claim' : '#release-claim') as HTMLButtonElement | null)?.click();
      return;
    }
    const action = actionKeys[e.key];
    const select = main.querySelector('#d-action') as HTMLSelectElement | null;
    if (action === undefined || select === null) return;
    if (![...select.options].some((o) => o.value === action)) return;
    e.preventDefault();
    select.value = action;
    (main.querySelector('#d-reason') as HTMLTextAreaElement | null)?.focus();
  };
}
