/**
 * The request for information on the consignment page (docs/information-requests.md): what was asked,
 * by whom, and every answer the submitter gave since (explanation and the documents it refers to).
 */
import { ApiError, get } from './api.js';
import { badge, h, mount } from './dom.js';

interface InformationDocument {
  kind: string;
  reference: string;
  url?: string;
  note?: string;
}

interface InformationView {
  status: 'requested' | 'answered';
  requestedAt: string;
  requestedBy: 'assessment' | 'officer';
  documents: string[];
  message: string;
  answers: {
    at: string;
    actor: string;
    /** `creator`: the consignment's first submitter; `contributor`: a linked record's submitter. */
    party?: 'creator' | 'contributor' | 'other';
    explanation: string;
    documents: InformationDocument[];
  }[];
}

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** A document reference; its https link opens without sending the console's address along. */
function documentItem(d: InformationDocument): HTMLElement {
  return h(
    'li',
    {},
    h('strong', {}, d.kind),
    ' ',
    d.url?.startsWith('https://')
      ? h('a', { href: d.url, target: '_blank', rel: 'noopener noreferrer' }, d.reference)
      : d.reference,
    d.note ? ` — ${d.note}` : '',
  );
}

/** Fills `slot` (a hidden section) for a consignment held for information. */
export async function fillInformation(slot: Element | null, id: string): Promise<void> {
  if (!slot) return;
  let info: InformationView;
  try {
    info = await get<InformationView>(`/v1/consignments/${encodeURIComponent(id)}/information`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) {
      mount(
        slot,
        h('h2', { id: 's-information' }, 'Request for information'),
        h('p', {}, 'Your role may not read the answers.'),
      );
      slot.removeAttribute('hidden');
    }
    return;
  }
  mount(
    slot,
    h('h2', { id: 's-information' }, 'Request for information ', badge(info.status, info.status)),
    h(
      'p',
      {},
      `Requested ${when(info.requestedAt)} by ${info.requestedBy === 'officer' ? 'an officer' : 'the lane (standard request)'}: `,
      info.documents.join(', '),
      '.',
    ),
    h('p.muted', {}, info.message),
    info.answers.length === 0
      ? h('p', { id: 'information-none' }, 'No answer yet.')
      : h(
          'ol',
          { id: 'information-answers' },
          info.answers.map((a) =>
            h(
              'li',
              {},
              h('time', { datetime: a.at }, when(a.at)),
              ` · ${a.actor}`,
              a.party === 'contributor'
                ? h(
                    'span.badge',
                    { title: 'submitted a record linked to this consignment; not its first submitter' },
                    'contributor',
                  )
                : null,
              h('div.why', {}, `“${a.explanation}”`),
              a.documents.length > 0 ? h('ul', {}, a.documents.map(documentItem)) : null,
            ),
          ),
        ),
  );
  slot.removeAttribute('hidden');
}
