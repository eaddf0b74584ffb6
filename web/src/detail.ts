/**
 * A consignment: decision actions (with a required reason), the risk explanation, the tax breakdown,
 * all sources side by side with their disagreements, and the event timeline.
 */
import { ApiError, actor, currentIdentity, get, post } from './api.js';
import { badge, h, mount } from './dom.js';
import { fillHsCheck } from './hs-check.js';
import { fillHistory } from './versions.js';
import { reasonOf, showError } from './forms.js';
import { fillXrayLink } from './screening.js';
import { fillInformation } from './information.js';
import { claimBar, heldByOther, mayOverride, readClaim, type ClaimView } from './claim.js';
import type { ClearanceEvent, Consignment, Input } from './types.js';
import type { InformationDocumentKind } from '../../src/domain/information-kinds.js';

/** Officer actions the API accepts, with a label and the states they apply to. */
const actions: { action: string; label: string; from: string[] }[] = [
  { action: 'release', label: 'Release', from: ['held-for-information', 'held-for-inspection', 'arrived'] },
  {
    action: 'request-information',
    label: 'Request information',
    from: ['held-for-inspection', 'held-for-information', 'arrived'],
  },
  {
    action: 'inspect',
    label: 'Inspect',
    from: ['held-for-information', 'held-for-inspection', 'released-before-arrival', 'arrived'],
  },
  { action: 'seize', label: 'Seize', from: ['held-for-information', 'held-for-inspection', 'arrived'] },
  {
    action: 'return',
    label: 'Return to sender',
    from: ['held-for-information', 'held-for-inspection', 'arrived'],
  },
  { action: 'clear-dnl', label: 'Clear do-not-load', from: ['do-not-load'] },
  { action: 'abandon', label: 'Abandon', from: ['do-not-load', 'arrived', 'seized'] },
];
/** Triage keys on the consignment page: pick the action and move to its reason. */
const actionKeys: Record<string, string> = {
  r: 'release',
  i: 'request-information',
  x: 'inspect',
  s: 'seize',
  t: 'return',
};
/** The documents an officer's request may name (the kinds an answer takes), as officers read them. */
const documentKinds: Record<InformationDocumentKind, string> = {
  invoice: 'Invoice',
  'proof-of-payment': 'Proof of payment',
  'order-confirmation': 'Order confirmation',
  'product-link': 'Product link or description',
  licence: 'Licence',
  certificate: 'Certificate',
  other: 'Other document',
};
const findings = [
  '',
  'nothing-found',
  'undervalued',
  'misdescribed',
  'counterfeit',
  'prohibited',
  'restricted',
  'other',
];

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

/** The `request` of a request-information decision: the documents ticked and the message, if any. */
function requestOf(
  ask: HTMLInputElement,
  wanted: HTMLInputElement[],
): { request?: { documents?: string[]; message?: string } } {
  const documents = wanted.filter((b) => b.checked).map((b) => b.value);
  const message = ask.value.trim();
  if (documents.length === 0 && message === '') return {};
  return {
    request: { ...(documents.length > 0 ? { documents } : {}), ...(message ? { message } : {}) },
  };
}

/** Roles that may record decisions (`POST /v1/consignments/{id}/decisions` in src/access/permissions.ts). */
const decidingRoles = ['officer', 'supervisor'];
const queuedStates = ['held-for-information', 'held-for-inspection', 'do-not-load'];

function actionForm(
  c: Consignment,
  reload: (message: string) => void,
  flash?: string,
  claim: ClaimView | null = null,
): HTMLElement {
  const allowed = actions.filter((a) => a.from.includes(c.state));
  const status = h('p.form-status.ok', { role: 'status', id: 'decision-status' }, flash ?? '');
  const { role } = currentIdentity();
  if (role !== null && !decidingRoles.includes(role))
    return h('p.muted', { id: 'd-denied' }, `Your role (${role}) may not record decisions.`);
  if (allowed.length === 0)
    return h('div', {}, status, h('p.muted', {}, `No officer action applies in state ${c.state}.`));
  const actionSel = h(
    'select',
    { id: 'd-action', name: 'action', required: true },
    allowed.map((a) => h('option', { value: a.action }, a.label)),
  ) as HTMLSelectElement;
  const reason = h('textarea', {
    id: 'd-reason',
    name: 'reason',
    required: true,
    minlength: 3,
    maxlength: 2000,
    rows: 2,
    'aria-describedby': 'd-reason-help',
  }) as HTMLTextAreaElement;
  const finding = h(
    'select',
    { id: 'd-finding', name: 'finding' },
    findings.map((f) => h('option', { value: f }, f || '(none)')),
  ) as HTMLSelectElement;
  // With "Request information": what the submitter is told it must send (its response shows it).
  const ask = h('input', {
    id: 'd-ask',
    name: 'ask',
    maxlength: 500,
    autocomplete: 'off',
    placeholder: 'e.g. Send the invoice issued by the seller',
  }) as HTMLInputElement;
  // With "Request information": the documents wanted (none ticked: the standard request's).
  const wanted = (Object.keys(documentKinds) as InformationDocumentKind[]).map(
    (kind) =>
      h('input', {
        type: 'checkbox',
        id: `d-doc-${kind}`,
        name: 'documents',
        value: kind,
      }) as HTMLInputElement,
  );
  // Another officer's claim: a supervisor decides over it with a reason (audited), others are refused.
  const override =
    heldByOther(claim) && mayOverride()
      ? (h('input', {
          id: 'd-override',
          name: 'overrideClaim',
          maxlength: 2000,
          autocomplete: 'off',
        }) as HTMLInputElement)
      : null;
  const form = h(
    'form.decide',
    {
      'aria-label': 'Officer decision',
      // The reason check below explains itself in the status line, which screen readers announce.
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const text = reasonOf(reason, status);
        if (text === undefined) return;
        const button = form.querySelector('button') as HTMLButtonElement;
        button.disabled = true;
        try {
          const r = await post<{ response: { state?: string } }>(`/v1/consignments/${c.id}/decisions`, {
            action: actionSel.value,
            reason: text,
            ...(finding.value ? { finding: finding.value } : {}),
            ...(actionSel.value === 'request-information' ? requestOf(ask, wanted) : {}),
            // Refused (decision.stale) when someone else changed the parcel after this page read it.
            unchangedSince: c.updatedAt,
            ...(override?.value.trim() ? { overrideClaim: override.value.trim() } : {}),
          });
          reload(`Recorded: ${actionSel.value}${r.response.state ? ` → ${r.response.state}` : ''}`);
        } catch (err) {
          showError(status, err);
          if (err instanceof ApiError && err.code === 'decision.stale') {
            status.textContent =
              'Not recorded: this consignment changed since the page was loaded (another officer may have decided). ';
            status.append(
              h(
                'button',
                {
                  type: 'button',
                  id: 'd-reload',
                  onclick: () => reload('Reloaded: check the consignment again.'),
                },
                'Show the current consignment',
              ),
            );
          }
          button.disabled = false;
        }
      },
    },
    h('div.field', {}, h('label', { for: 'd-action' }, 'Action'), actionSel),
    h(
      'div.field.grow',
      {},
      h('label', { for: 'd-reason' }, 'Reason (required)'),
      reason,
      h('small', { id: 'd-reason-help' }, `Recorded with your name (${actor()}) in the event log.`),
    ),
    h('div.field', {}, h('label', { for: 'd-finding' }, 'Inspection finding'), finding),
    allowed.some((a) => a.action === 'request-information')
      ? h(
          'div.field',
          {},
          h('label', { for: 'd-ask' }, 'Message to the submitter (request information)'),
          ask,
        )
      : null,
    allowed.some((a) => a.action === 'request-information')
      ? h(
          'fieldset.field.documents',
          { id: 'd-documents', 'aria-describedby': 'd-documents-help' },
          h('legend', {}, 'Documents wanted (request information)'),
          wanted.map((box) =>
            h('label.check', { for: box.id }, box, ` ${documentKinds[box.value as InformationDocumentKind]}`),
          ),
          h('small', { id: 'd-documents-help' }, 'None ticked: the standard request applies.'),
        )
      : null,
    override && claim
      ? h(
          'div.field.grow',
          {},
          h('label', { for: 'd-override' }, `Override ${claim.officerId}'s claim (reason)`),
          override,
        )
      : null,
    h('div.field', {}, h('button', { type: 'submit', class: 'primary' }, 'Record decision')),
    status,
  );
  return form;
}

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
      ' Decision ',
      h('strong', {}, a.decision),
      ` · risk score ${Math.round(a.risk.score)} · security ${a.risk.security} · version ${c.version}`,
      a.risk.randomSelected ? ' · random control sample' : '',
    ),
    h('section.card', { id: 'information-slot', 'aria-labelledby': 's-information', hidden: '' }),
    section(
      'Decision',
      // Claims are on queued consignments: held, or arrived with a request for information open.
      queuedStates.includes(c.state) || c.informationOpen === true || claim !== null
        ? claimBar(c.id, claim, reload)
        : null,
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
          l.rate,
          l.amount,
          l.collectedBy,
          `${l.explanation} (${l.measure})`,
        ]),
        'lines',
      ),
      h(
        'p.totals',
        {},
        h('span', {}, 'Due at border ', h('strong', { id: 'due' }, `${rev.dueAtBorder} ${rev.currency}`)),
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
      (main.querySelector(e.key === 'c' ? '#claim' : '#release') as HTMLButtonElement | null)?.click();
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
