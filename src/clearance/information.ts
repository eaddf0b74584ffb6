/**
 * Requests for information (the yellow lane) and the submitter's answers (docs/information-requests.md).
 *
 * A parcel is held for information by its lane (yellow) or by an officer (`request-information`, which
 * may say which documents are wanted). The submitter answers with an explanation and references to
 * documents (`submitter.information-provided`): the answer is an event of the consignment and the
 * parcel stays held for information, answered, until an officer decides. Everything here is read from
 * the event log, so the request, its answers and whether they await review follow the log exactly.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ParcelgateError, type ValidationIssue } from '../domain/index.js';
import { informationDocumentKinds, type InformationDocumentKind } from '../domain/information-kinds.js';
import { escapePointerToken } from '../match/index.js';
import type { ClearanceEvent, ClearanceStore, StoredConsignment } from '../store/index.js';
import { withStandingRelease } from './arrived-release.js';
import type { RequestContext } from './context.js';
import { buildResponse, type CustomsResponse, type SubmitterInformation } from './response.js';
import { step } from './routing.js';

/** What a document given with an answer (or named in a request) is. */
export { informationDocumentKinds, type InformationDocumentKind } from '../domain/information-kinds.js';

/** Bounds of an answer (characters; documents per answer). */
export const informationLimits = {
  explanation: 2000,
  documents: 20,
  reference: 200,
  url: 2000,
  note: 500,
  /** The message an officer's request may carry to the submitter. */
  message: 500,
} as const;

/** The type of an answer event (a self-transition of `held-for-information`). */
export const informationProvidedEvent = 'consignment.information-provided';

const kindSchema = Type.Union(
  informationDocumentKinds.map((k) => Type.Literal(k)),
  { description: 'What the document is' },
);

/** One document referred to in an answer: a reference, not an upload. */
export const InformationDocument = Type.Object(
  {
    kind: kindSchema,
    reference: Type.String({
      minLength: 1,
      maxLength: informationLimits.reference,
      description: 'Invoice or order number, payment reference, licence or certificate number, …',
    }),
    url: Type.Optional(
      Type.String({
        maxLength: informationLimits.url,
        pattern: '^https://',
        description: 'Where customs can read the document or product page (https only)',
      }),
    ),
    note: Type.Optional(Type.String({ maxLength: informationLimits.note })),
  },
  { additionalProperties: false },
);
export type InformationDocument = Static<typeof InformationDocument>;

/** The body of `POST /v1/consignments/{id}/information`. */
export const InformationAnswer = Type.Object(
  {
    explanation: Type.String({
      minLength: 1,
      maxLength: informationLimits.explanation,
      description:
        'What the parcel holds and why the data is right, in plain words. Part of the customs record: ' +
        'do not include identity numbers or other personal data customs did not ask for.',
    }),
    documents: Type.Optional(
      Type.Array(InformationDocument, {
        maxItems: informationLimits.documents,
        description: 'References to the documents that support the explanation',
      }),
    ),
  },
  { additionalProperties: false },
);
export type InformationAnswer = Static<typeof InformationAnswer>;

/** What an officer's request may name (`request` of a `request-information` decision). */
export const InformationAsk = Type.Object(
  {
    documents: Type.Optional(
      Type.Array(kindSchema, { maxItems: informationDocumentKinds.length, uniqueItems: true }),
    ),
    message: Type.Optional(
      Type.String({
        maxLength: informationLimits.message,
        description: 'Plain-language message to the submitter (shown in its response)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type InformationAsk = Static<typeof InformationAsk>;

/** The issue codes of a refused answer (documented in docs/errors.md). */
export const informationErrorCodes: Readonly<Record<string, string>> = {
  'information.invalid':
    'An answer to a request for information has problems; `issues` lists every one with its path (400).',
  'information.not-requested':
    'The consignment is not held for information: there is no request to answer (409).',
  'information.blank': 'A text of the answer holds only spaces.',
  'information.url-not-https': 'A document URL is not an absolute https:// URL.',
  'information.duplicate-document': 'The same document (kind and reference) is listed twice in one answer.',
  'decision.request-not-allowed':
    'A decision other than request-information names what is requested (`request`) (400).',
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks an answer and lists every problem with its JSON Pointer (never only the first): the shape
 * (`schema.*` codes, as the other endpoints) and what a schema cannot say (blank texts, URLs that are
 * not https, a document listed twice). Texts are trimmed in the accepted value.
 */
export function checkInformationAnswer(
  body: unknown,
): { ok: true; value: InformationAnswer } | { ok: false; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const issue = (code: string, path: string, message: string) => issues.push({ code, path, message });
  if (!isObject(body)) {
    issue('schema.type', '', 'the answer must be a JSON object');
    return { ok: false, issues };
  }
  unexpected(Object.keys(body), ['explanation', 'documents'], '', issue);
  const text = (v: unknown, path: string, max: number, required: boolean): string | undefined => {
    if (v === undefined) {
      if (required) issue('schema.required', path, `${path.slice(1).replace(/\//g, '.')} is required`);
      return undefined;
    }
    if (typeof v !== 'string') {
      issue('schema.type', path, 'must be a string');
      return undefined;
    }
    const t = v.trim();
    if (v.length > max)
      issue('schema.max-length', path, `must be at most ${max} characters, got ${v.length}`);
    else if (t === '') issue('information.blank', path, 'must not be empty or only spaces');
    return t;
  };
  const explanation = text(body.explanation, '/explanation', informationLimits.explanation, true);
  const documents: InformationDocument[] = [];
  const docs = body.documents;
  if (docs !== undefined && !Array.isArray(docs)) issue('schema.type', '/documents', 'must be an array');
  else if (docs !== undefined) {
    if (docs.length > informationLimits.documents)
      issue(
        'schema.max-items',
        '/documents',
        `at most ${informationLimits.documents} documents, got ${docs.length}`,
      );
    const seen = new Map<string, number>();
    docs.slice(0, informationLimits.documents).forEach((d: unknown, i) => {
      const at = `/documents/${i}`;
      if (!isObject(d)) {
        issue('schema.type', at, 'a document must be an object {kind, reference, url?, note?}');
        return;
      }
      unexpected(Object.keys(d), ['kind', 'reference', 'url', 'note'], at, issue);
      const kind = d.kind;
      if (kind === undefined) issue('schema.required', `${at}/kind`, 'kind is required');
      else if (!informationDocumentKinds.includes(kind as InformationDocumentKind))
        issue(
          'schema.enum',
          `${at}/kind`,
          `kind must be one of ${informationDocumentKinds.map((k) => JSON.stringify(k)).join(', ')}`,
        );
      const reference = text(d.reference, `${at}/reference`, informationLimits.reference, true);
      const url = text(d.url, `${at}/url`, informationLimits.url, false);
      if (url !== undefined && url !== '' && !isHttpsUrl(url))
        issue('information.url-not-https', `${at}/url`, 'must be an absolute https:// URL');
      const note = text(d.note, `${at}/note`, informationLimits.note, false);
      if (typeof kind === 'string' && reference) {
        const key = `${kind}\u0000${reference}`;
        const first = seen.get(key);
        if (first !== undefined)
          issue(
            'information.duplicate-document',
            `${at}/reference`,
            `the same ${kind} ${JSON.stringify(reference)} is already listed at /documents/${first}`,
          );
        else seen.set(key, i);
      }
      documents.push({
        kind: kind as InformationDocumentKind,
        reference: reference ?? '',
        ...(url !== undefined ? { url } : {}),
        ...(note !== undefined ? { note } : {}),
      });
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { explanation: explanation!, documents } };
}

/** Unexpected fields listed one by one: at most this many, then one issue counting the rest. */
const maxListedFields = 10;

/**
 * One `schema.additional-property` issue per key of `keys` not in `known`, up to {@link maxListedFields};
 * the rest in one issue at the object (a hostile body with thousands of keys gets a short answer).
 */
function unexpected(
  keys: readonly string[],
  known: readonly string[],
  at: string,
  issue: (code: string, path: string, message: string) => void,
): void {
  let listed = 0;
  let more = 0;
  for (const k of keys) {
    if (known.includes(k)) continue;
    if (listed === maxListedFields) {
      more += 1;
      continue;
    }
    listed += 1;
    issue(
      'schema.additional-property',
      `${at}/${escapePointerToken(k)}`,
      `unexpected field ${JSON.stringify(k)}`,
    );
  }
  if (more > 0) issue('schema.additional-property', at, `${more} more unexpected fields`);
}

/** An absolute https URL with a host (no credentials in it). */
export function isHttpsUrl(s: string): boolean {
  if (!s.startsWith('https://')) return false;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/**
 * Whether a consignment has an open request for information (docs/information-requests.md §3): held
 * for information, or arrived with the request it was held under (or an officer's request after
 * arrival) not yet followed by an officer's decision. `informationOpen` is kept by every transition
 * (`withOpenRequest`), so this reads no events.
 */
export function isAnswerable(c: Pick<StoredConsignment, 'state' | 'informationOpen'>): boolean {
  return c.state === 'held-for-information' || (c.state === 'arrived' && c.informationOpen === true);
}

/** Refuses (409 `information.not-requested`) an answer for a consignment without an open request. */
export function assertAnswerable(c: Pick<StoredConsignment, 'id' | 'state' | 'informationOpen'>): void {
  if (!isAnswerable(c))
    throw new ParcelgateError(
      'information.not-requested',
      c.state === 'arrived'
        ? `consignment ${c.id} has arrived with no open request for information: there is no request to answer`
        : `consignment ${c.id} is ${c.state}, not held for information: there is no request to answer`,
      409,
      { state: c.state },
    );
}

/** The event type of an officer's request that keeps the state (held for information, or arrived). */
export const requestInformationEvent = 'consignment.request-information';

/**
 * What an event does to the request for information (docs/information-requests.md §3):
 * - `answer`: the submitter's answer;
 * - `open`: a new request: the parcel enters `held-for-information` from another state (its lane, an
 *   officer's request from inspection, a re-assessment routing it yellow again) or an officer asks
 *   again (`consignment.request-information`, while held for information or after arrival);
 * - `close`: an officer's decision or a carrier's final event ends it: any move to a state other than
 *   `held-for-information` or `arrived` (release, inspection, seizure, return, abandonment, delivery, a
 *   re-assessment), or an inspection after arrival (`consignment.inspect`, which keeps `arrived`);
 * - `keep`: nothing changes (the arrival of a held parcel, an amendment after arrival, a linked record
 *   or a screening alert that moves nothing).
 */
export function requestEffect(
  e: Pick<ClearanceEvent, 'type' | 'from' | 'to'>,
): 'answer' | 'open' | 'close' | 'keep' {
  if (e.type === informationProvidedEvent) return 'answer';
  if (e.type === requestInformationEvent) return 'open';
  if (e.to === 'held-for-information') return e.from === 'held-for-information' ? 'keep' : 'open';
  if (e.type === 'consignment.inspect') return 'close';
  if (e.to === null || e.to === undefined || e.to === 'arrived') return 'keep';
  return 'close';
}

/**
 * `updated` (the consignment after `events`, its state already set) with `informationOpen` as the events
 * leave it: set only in `arrived` (in `held-for-information` the state says it), removed otherwise;
 * and with `releasedBeforeArrival` as they leave it (`withStandingRelease`).
 * Every writer of a transition calls it, so the flag follows the log (a property test checks it).
 */
export function withOpenRequest<C extends StoredConsignment>(
  before: Pick<StoredConsignment, 'state' | 'informationOpen' | 'releasedBeforeArrival'>,
  updated: C,
  events: readonly Pick<ClearanceEvent, 'type' | 'from' | 'to'>[],
): C {
  let open = isAnswerable(before);
  for (const e of events) {
    const effect = requestEffect(e);
    if (effect === 'open') open = true;
    else if (effect === 'close') open = false;
  }
  // The other flag that follows the log: an arrived parcel that stands released (arrived-release.ts).
  const kept = withStandingRelease(before, updated, events);
  const flag = open && kept.state === 'arrived';
  if (flag === (kept.informationOpen === true)) return kept;
  if (flag) return { ...kept, informationOpen: true };
  const { informationOpen: _closed, ...rest } = kept;
  return rest as C;
}

/**
 * Records a submitter's answer as a `submitter.information-provided` event (the answer is its data;
 * the submitter its actor). The parcel stays held for information. Refused with
 * `information.not-requested` (409) when the consignment is not held for information.
 */
export function recordInformationAnswer(
  ctx: RequestContext,
  store: ClearanceStore,
  consignmentId: string,
  answer: InformationAnswer,
): Promise<{ consignment: StoredConsignment; event: ClearanceEvent }> {
  return store.transact({ keys: [], ids: [consignmentId] }, (found) => {
    const current = found.find((c) => c.id === consignmentId);
    if (!current) throw new ParcelgateError('consignment.not-found', `no consignment ${consignmentId}`, 404);
    assertAnswerable(current);
    const data: Record<string, unknown> = {
      explanation: answer.explanation,
      documents: answer.documents ?? [],
    };
    const { to, event } = step(consignmentId, current.state, 'submitter.information-provided', {
      at: ctx.now,
      actor: ctx.actor,
      data,
    });
    const updated = withOpenRequest(current, { ...current, state: to, updatedAt: ctx.now }, [event]);
    return {
      writes: { upserts: [updated], archive: [], declarations: [], events: [event] },
      result: { consignment: updated, event },
    };
  });
}

/** What the assessment's hold (lane yellow) asks for: the same for every parcel, so it reveals no targeting. */
export const standardRequest: { documents: InformationDocumentKind[]; message: string } = {
  documents: ['invoice', 'proof-of-payment', 'order-confirmation', 'product-link'],
  message:
    'Customs needs more information to clear this parcel. Send the commercial invoice, the proof of ' +
    'payment or the order confirmation, and a description of the goods or a link to the product page.',
};

/** One answer as an officer reads it. */
export interface InformationAnswerRecord {
  seq?: number;
  at: string;
  actor: string;
  explanation: string;
  documents: InformationDocument[];
}

/** The open request for information of a consignment held for information, read from its events. */
export interface InformationRequestStatus {
  /** `requested`: no answer yet; `answered`: answered since the request, waiting for an officer. */
  status: 'requested' | 'answered';
  requestedAt: string;
  /** `assessment`: the lane held it (the standard request); `officer`: an officer asked. */
  requestedBy: 'assessment' | 'officer';
  documents: InformationDocumentKind[];
  message: string;
  /** Answers given since the request, oldest first. */
  answers: InformationAnswerRecord[];
  /** Where to answer. */
  answerWith: SubmitterInformation['answerWith'];
}

/** The documents and message of a request event (an officer's `request`, or the standard request). */
function requestOf(e: ClearanceEvent): {
  by: 'assessment' | 'officer';
  documents: InformationDocumentKind[];
  message: string;
} {
  const trigger = e.data?.trigger;
  if (trigger !== 'officer.request-information') return { by: 'assessment', ...standardRequest };
  const ask = (e.data?.request ?? {}) as InformationAsk;
  return {
    by: 'officer',
    documents: ask.documents && ask.documents.length > 0 ? ask.documents : standardRequest.documents,
    message: ask.message && ask.message.trim() !== '' ? ask.message.trim() : standardRequest.message,
  };
}

/** What a notification of a new request for information tells its receiver (docs/notifications.md). */
export interface InformationNotice {
  documents: InformationDocumentKind[];
  message: string;
  answerWith: SubmitterInformation['answerWith'];
}

/**
 * The request an event opens, as the submitter is told it (what is wanted, the message, where to
 * answer), or undefined when the event opens none. Read from the event alone (its trigger and the
 * officer's `request`), so every redelivery of its notification is the same; never the officer's reason.
 */
export function requestNotice(e: ClearanceEvent): InformationNotice | undefined {
  if (requestEffect(e) !== 'open') return undefined;
  const { documents, message } = requestOf(e);
  return {
    documents,
    message,
    answerWith: { method: 'POST', path: `/v1/consignments/${e.consignmentId}/information` },
  };
}

/**
 * The open request of a consignment and the answers given to it, from its events (in seq order), or
 * undefined when it has none (docs/information-requests.md §3): the last event that opened a request
 * (`requestEffect`: its lane, an officer's request, a re-assessment routing it yellow again), unless an
 * officer's decision or a final state came after it; answers before it belong to an earlier request.
 */
export function informationRequest(
  c: Pick<StoredConsignment, 'id' | 'state'>,
  events: readonly ClearanceEvent[],
): InformationRequestStatus | undefined {
  if (c.state !== 'held-for-information' && c.state !== 'arrived') return undefined;
  let request: ClearanceEvent | undefined;
  let open = false;
  let answers: InformationAnswerRecord[] = [];
  for (const e of events) {
    const effect = requestEffect(e);
    if (effect === 'answer') {
      const d = e.data ?? {};
      answers.push({
        ...(e.seq !== undefined ? { seq: e.seq } : {}),
        at: e.at,
        actor: e.actor,
        explanation: typeof d.explanation === 'string' ? d.explanation : '',
        documents: Array.isArray(d.documents) ? (d.documents as InformationDocument[]) : [],
      });
    } else if (effect === 'open') {
      request = e;
      open = true;
      answers = [];
    } else if (effect === 'close') open = false;
  }
  // Held for information, a request is open whatever the log holds (a store written before the log
  // kept every routing event would give none): the standard request applies.
  if (!open && c.state !== 'held-for-information') return undefined;
  const asked = request ? requestOf(request) : { by: 'assessment' as const, ...standardRequest };
  return {
    status: answers.length > 0 ? 'answered' : 'requested',
    requestedAt: request?.at ?? '',
    requestedBy: asked.by,
    documents: asked.documents,
    message: asked.message,
    answers,
    answerWith: { method: 'POST', path: `/v1/consignments/${c.id}/information` },
  };
}

/**
 * The request as its submitter is told in the customs response: what is wanted, how to answer, and
 * how many answers customs has; never the officer's reason or what targeting found.
 */
export function informationForSubmitter(r: InformationRequestStatus): SubmitterInformation {
  const last = r.answers[r.answers.length - 1];
  return {
    status: r.status,
    requestedAt: r.requestedAt,
    documents: r.documents,
    message: r.message,
    answers: r.answers.length,
    ...(last ? { lastAnsweredAt: last.at } : {}),
    answerWith: r.answerWith,
  };
}

/**
 * The customs response with the open request for information (`information`: what is wanted, how to
 * answer) when the consignment has one; the events are read only then. Used by the JSON response,
 * the postal XML response and the CLI export alike.
 */
export async function responseWithInformation(
  store: Pick<ClearanceStore, 'events'>,
  c: StoredConsignment,
): Promise<CustomsResponse> {
  // A returned parcel's settlement depends on whether it was released to the buyer first.
  const events = c.state === 'returned' || isAnswerable(c) ? await store.events(c.id) : undefined;
  const response = buildResponse(
    c,
    c.state === 'returned' ? { borderPaid: events!.some((e) => e.to === 'released') } : undefined,
  );
  if (!isAnswerable(c)) return response;
  const request = informationRequest(c, events!);
  return request ? { ...response, information: informationForSubmitter(request) } : response;
}
