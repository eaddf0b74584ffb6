/**
 * The decision form of the consignment page: the actions the state allows, a reason, a finding, a
 * request; the reason typed and not yet sent is kept in the tab (sessionStorage) until it is recorded.
 */
import { ApiError, actor, currentIdentity, post } from './api.js';
import { h } from './dom.js';
import { reasonOf, showError } from './forms.js';
import { claimRefusalText, heldByOther, mayOverride, type ClaimView } from './claim.js';
import type { Consignment } from './types.js';
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
/** An officer action as the page names it ("request-information" is "Request information"). */
export const actionLabel = (action: string): string =>
  actions.find((a) => a.action === action)?.label ?? action;

/**
 * The decision not yet sent on a consignment, kept in the tab's sessionStorage as it is typed: a
 * session that expires meanwhile loses nothing, the form gets it back after signing in again. It names
 * the officer who typed it (another officer signing in on the tab does not get it) and is removed
 * once the decision is recorded, and on signing out.
 */
interface Draft {
  actor: string;
  action: string;
  reason: string;
  message: string;
}
const draftPrefix = 'parcelgate.draft.';

function readDraft(id: string): Draft | null {
  try {
    const d = JSON.parse(sessionStorage.getItem(draftPrefix + id) ?? 'null') as Draft | null;
    if (d === null || typeof d.reason !== 'string') return null;
    // Keys mode: only the signed-in officer who typed it (open mode: the tab's officer, whatever the name).
    if (currentIdentity().authMode === 'keys' && d.actor !== actor()) return null;
    return d;
  } catch {
    return null;
  }
}

function saveDraft(id: string, d: Draft): void {
  try {
    if (d.reason.trim() === '' && d.message.trim() === '') sessionStorage.removeItem(draftPrefix + id);
    else sessionStorage.setItem(draftPrefix + id, JSON.stringify(d));
  } catch {
    // Storage full or refused: the form works without keeping a draft.
  }
}

const dropDraft = (id: string): void => sessionStorage.removeItem(draftPrefix + id);

/** Forgets every unsent decision of the tab (on signing out). */
export function dropDrafts(): void {
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const k = sessionStorage.key(i);
    if (k?.startsWith(draftPrefix)) sessionStorage.removeItem(k);
  }
}

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
/** Whether the caller's role may record decisions (open mode: yes). */
export const mayDecide = (): boolean => {
  const { role } = currentIdentity();
  return role === null || decidingRoles.includes(role);
};
/** The decision form (or why the caller's role may not decide); `claim` is the consignment's live claim. */
export function actionForm(
  c: Consignment,
  reload: (message: string) => void,
  flash?: string,
  claim: ClaimView | null = null,
): HTMLElement {
  const allowed = actions.filter((a) => a.from.includes(c.state));
  const status = h('p.form-status.ok', { role: 'status', id: 'decision-status' }, flash ?? '');
  if (!mayDecide())
    return h(
      'p.muted',
      { id: 'd-denied' },
      `Your role (${currentIdentity().role}) may not record decisions.`,
    );
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
  // Another officer's live claim that the caller may not override: the form waits (the page says why,
  // above it, and reads the claim again once it runs out).
  const blocked = heldByOther(claim) && !mayOverride();
  // What was typed and not sent (e.g. before the session expired and the officer signed in again).
  const draft = readDraft(c.id);
  if (draft !== null) {
    if (allowed.some((a) => a.action === draft.action)) actionSel.value = draft.action;
    reason.value = draft.reason;
    ask.value = draft.message;
    if (!flash && (draft.reason || draft.message))
      status.textContent = 'Your unsent reason is back: check it, then record the decision.';
  }
  const keep = () =>
    saveDraft(c.id, { actor: actor(), action: actionSel.value, reason: reason.value, message: ask.value });
  /** Back to the page as it is now (its claim notice, the current state). */
  const showCurrent = () =>
    h(
      'button',
      {
        type: 'button',
        id: 'd-reload',
        onclick: () => reload('Reloaded: check the consignment again.'),
      },
      'Show the current consignment',
    );
  const form = h(
    'form.decide',
    {
      'aria-label': 'Officer decision',
      'aria-describedby': heldByOther(claim) ? 'claim-notice' : null,
      // The reason check below explains itself in the status line, which screen readers announce.
      novalidate: true,
      oninput: keep,
      onchange: keep,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        if (blocked) return;
        const text = reasonOf(reason, status);
        if (text === undefined) return;
        keep();
        const button = form.querySelector('button[type=submit]') as HTMLButtonElement;
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
          dropDraft(c.id);
          reload(`Recorded: ${actionSel.value}${r.response.state ? ` → ${r.response.state}` : ''}`);
        } catch (err) {
          showError(status, err);
          const refused = claimRefusalText(err, 'Not recorded');
          if (err instanceof ApiError && err.code === 'decision.stale') {
            status.textContent =
              'Not recorded: this consignment changed since the page was loaded (another officer may have decided). ';
            status.append(showCurrent());
          } else if (refused !== null) {
            // Said in words: who holds the claim and until when (their time on this clock), what to do.
            status.textContent = `${refused} `;
            if (err instanceof ApiError && err.code === 'claim.held-by-other') {
              if (override !== null)
                status.append('To decide over it, give a reason to override their claim.');
              else if (mayOverride())
                status.append('To decide over it with a reason to override their claim: ', showCurrent());
              else status.append('Wait until they release it or it runs out, or ask them. ', showCurrent());
            }
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
      // The name decisions are recorded under; open mode: the Officer field's, kept up to date (main.ts).
      h(
        'small',
        { id: 'd-reason-help' },
        'Recorded with your name (',
        h('span.actor-name', {}, actor()),
        ') in the event log.',
      ),
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
  if (blocked)
    for (const control of form.querySelectorAll<HTMLInputElement>('input, select, textarea, button'))
      control.disabled = true;
  return form;
}
