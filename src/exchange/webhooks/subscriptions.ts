/** Creating, replaying and inspecting webhook subscriptions (shared by the API and the CLI). */
import { randomBytes } from 'node:crypto';
import { ParcelgateError } from '../../domain/index.js';
import type { ExchangeStore, SubscriptionChange, WebhookSubscription } from '../../store/index.js';
import { destinationGuard, refusalError, type DestinationPolicy } from './destination.js';
import { newWebhookSecret } from './signature.js';

/** What a caller gives to subscribe. */
export interface NewSubscription {
  operatorId: string;
  url: string;
  /** Event types to deliver; empty or absent = all. */
  eventTypes?: string[];
  /** Own secret (`whsec_` + base64 of at least 24 bytes); generated when absent. */
  secret?: string;
  /** Where delivery starts: `now` (default: only events after subscribing), `beginning`, or a seq. */
  from?: 'now' | 'beginning' | number;
}

const eventType = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** A 400 problem about one field of the request body (its JSON pointer in `issues`). */
const fieldError = (code: string, path: string, message: string): ParcelgateError =>
  new ParcelgateError(code, message, 400, { issues: [{ code, path, message }] });

/** Checks a webhook URL: absolute http(s), no credentials; throws webhook.invalid-url (field `/url`). */
export function checkWebhookUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw fieldError('webhook.invalid-url', '/url', `url is not an absolute URL: ${JSON.stringify(url)}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw fieldError('webhook.invalid-url', '/url', `url must use http or https, not ${u.protocol}`);
  if (u.username !== '' || u.password !== '')
    throw fieldError(
      'webhook.invalid-url',
      '/url',
      'url must not carry credentials; the signature authenticates',
    );
  return u.toString();
}

function checkSecret(secret: string): string {
  const raw = secret.startsWith('whsec_') ? secret.slice(6) : '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw) || Buffer.from(raw, 'base64').length < 24)
    throw fieldError(
      'webhook.invalid-secret',
      '/secret',
      'secret must be whsec_ followed by base64 of at least 24 bytes',
    );
  return secret;
}

/** The event-type filter without repeats; throws webhook.invalid-event-type at `/eventTypes/<i>`. */
function checkEventTypes(types: readonly string[] = []): string[] {
  types.forEach((t, i) => {
    if (!eventType.test(t))
      throw fieldError(
        'webhook.invalid-event-type',
        `/eventTypes/${i}`,
        `event type ${JSON.stringify(t)} is not like consignment.released`,
      );
  });
  return [...new Set(types)];
}

/**
 * Checks a webhook URL and where it leads: its host must be, and resolve only to, public addresses (or
 * ones the policy allows); throws webhook.invalid-url, webhook.destination-forbidden or
 * webhook.destination-unresolvable, each with the field `/url`.
 */
export async function checkWebhookDestination(
  url: string,
  destinations: DestinationPolicy = {},
): Promise<string> {
  const checked = checkWebhookUrl(url);
  const r = await destinationGuard(destinations).check(new URL(checked));
  if (!r.ok) throw refusalError(r.refusal);
  return checked;
}

/**
 * Registers a subscription; returns it with its secret (shown once to the caller). The URL must lead to
 * public addresses unless `destinations` allows others (see destination.ts).
 */
export async function createSubscription(
  store: ExchangeStore,
  s: NewSubscription,
  now: string,
  destinations: DestinationPolicy = {},
): Promise<WebhookSubscription> {
  const url = checkWebhookUrl(s.url);
  const types = checkEventTypes(s.eventTypes);
  const from = s.from ?? 'now';
  let cursor: number;
  if (from === 'now') cursor = await store.latestSeq();
  else if (from === 'beginning') cursor = 0;
  else if (Number.isSafeInteger(from) && from >= 1) cursor = (await notPastNext(store, from)) - 1;
  else
    throw new ParcelgateError(
      'webhook.invalid-from',
      `from must be now, beginning or a seq >= 1, got ${String(from)}`,
    );
  const secret = s.secret === undefined ? newWebhookSecret() : checkSecret(s.secret);
  // Last, after the cheap checks: resolving the name is the one slow step.
  await checkWebhookDestination(url, destinations);
  const sub: WebhookSubscription = {
    id: `whk_${randomBytes(10).toString('hex')}`,
    operatorId: s.operatorId,
    url,
    secret,
    eventTypes: types,
    active: true,
    cursor,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    createdAt: now,
    updatedAt: now,
  };
  await store.addSubscription(sub);
  return sub;
}

/** What an operator may change of its subscription; absent fields stay as they are. */
export interface SubscriptionUpdate {
  url?: string;
  /** Event types to deliver; empty = all. */
  eventTypes?: string[];
  /** false pauses deliveries (the cursor stays where it is), true resumes them. */
  active?: boolean;
  /** Replace the signing secret with a generated one (answered once). */
  rotateSecret?: boolean;
  /** Replace the signing secret with this one (`whsec_` + base64 of at least 24 bytes). */
  secret?: string;
}

/** The fields an update changed (never the secret's value), for the audit entry and the answer. */
export type ChangedField = 'url' | 'eventTypes' | 'active' | 'secret';

/**
 * Changes a subscription in place: URL, event types, paused or active, signing secret. Every field is
 * checked first (the URL as at creation, its destination last), then all of them are written in one
 * statement, so a bad field changes nothing. The cursor stays: pending events keep their position and
 * the next delivery goes to the new URL; a new URL also clears the retry state (a backoff earned by the
 * old receiver does not delay the new one). Answers the subscription, with `secret` only when it changed.
 */
export async function updateSubscription(
  store: ExchangeStore,
  sub: WebhookSubscription,
  u: SubscriptionUpdate,
  now: string,
  destinations: DestinationPolicy = {},
): Promise<{
  subscription: Omit<WebhookSubscription, 'secret'> & { secret?: string };
  changed: ChangedField[];
}> {
  if (u.rotateSecret === true && u.secret !== undefined)
    throw fieldError('webhook.invalid-secret', '/secret', 'give either secret or rotateSecret, not both');
  const change: SubscriptionChange = {};
  if (u.url !== undefined) change.url = checkWebhookUrl(u.url);
  if (u.eventTypes !== undefined) change.eventTypes = checkEventTypes(u.eventTypes);
  if (u.active !== undefined) change.active = u.active;
  if (u.secret !== undefined) change.secret = checkSecret(u.secret);
  else if (u.rotateSecret === true) change.secret = newWebhookSecret();
  // Last, after the cheap checks: resolving the name is the one slow step.
  if (change.url !== undefined) await checkWebhookDestination(change.url, destinations);
  if (change.url !== undefined && change.url !== sub.url) change.resetRetry = true;
  const changed = (['url', 'eventTypes', 'active', 'secret'] as const).filter((f) => change[f] !== undefined);
  if (!(await store.updateSubscription(sub.id, change, now)))
    throw new ParcelgateError('webhook.not-found', `no webhook subscription ${sub.id}`, 404);
  const after = await store.getSubscription(sub.id);
  if (after === undefined)
    throw new ParcelgateError('webhook.not-found', `no webhook subscription ${sub.id}`, 404);
  const shown = publicSubscription(after);
  return {
    subscription: change.secret === undefined ? shown : { ...shown, secret: after.secret },
    changed,
  };
}

/**
 * What the audit log records of a subscription's lifecycle, by the API and the CLI alike: where events go
 * and which, never the secret. `created` for a new subscription, `updated` for a change (the fields
 * changed, and the new URL and active flag when they changed), `replayed` for a rewind or a dead-letter
 * replay (what was replayed).
 */
export const webhookAuditData = {
  created: (s: WebhookSubscription) => ({
    operator: s.operatorId,
    url: s.url,
    eventTypes: s.eventTypes,
    fromSeq: s.cursor + 1,
  }),
  updated: (r: { subscription: { url: string; active: boolean }; changed: ChangedField[] }) => ({
    changed: r.changed,
    ...(r.changed.includes('url') ? { url: r.subscription.url } : {}),
    ...(r.changed.includes('active') ? { active: r.subscription.active } : {}),
  }),
  replayed: (r: { replayFrom?: number; deadLetters?: number }) => ({ ...r }),
};

/** A subscription as shown to its operator: everything but the secret. */
export function publicSubscription(s: WebhookSubscription): Omit<WebhookSubscription, 'secret'> {
  const { secret: _secret, ...rest } = s;
  return rest;
}

/** Loads a subscription the operator owns (any when `operatorId` is undefined); throws webhook.not-found. */
export async function ownedSubscription(
  store: ExchangeStore,
  id: string,
  operatorId: string | undefined,
): Promise<WebhookSubscription> {
  const s = await store.getSubscription(id);
  if (s === undefined || (operatorId !== undefined && s.operatorId !== operatorId))
    throw new ParcelgateError('webhook.not-found', `no webhook subscription ${id}`, 404);
  return s;
}

/**
 * A start or replay position no further than the next event: one beyond it would set the cursor past
 * events not yet written, which the subscription would then skip once the log reached them.
 */
async function notPastNext(store: ExchangeStore, from: number): Promise<number> {
  const latest = await store.latestSeq();
  if (from > latest + 1)
    throw new ParcelgateError(
      'webhook.invalid-from',
      `from ${from} is beyond the next event (${latest + 1}): the latest seq is ${latest}`,
      400,
      { latest },
    );
  return from;
}

/** Replays: every event from `fromSeq` on (rewinds the cursor), or the dead letters (all or some seqs). */
export async function replay(
  store: ExchangeStore,
  sub: WebhookSubscription,
  what: { fromSeq: number } | { deadLetters: true; seqs?: number[] },
  now: string,
): Promise<{ replayFrom?: number; deadLetters?: number }> {
  if ('fromSeq' in what) {
    if (!Number.isSafeInteger(what.fromSeq) || what.fromSeq < 1)
      throw new ParcelgateError('webhook.invalid-from', `fromSeq must be a seq >= 1, got ${what.fromSeq}`);
    await notPastNext(store, what.fromSeq);
    await store.rewind(sub.id, what.fromSeq - 1, now);
    return { replayFrom: what.fromSeq };
  }
  return { deadLetters: await store.markReplay(sub.id, what.seqs) };
}
