/** Creating, replaying and inspecting webhook subscriptions (shared by the API and the CLI). */
import { randomBytes } from 'node:crypto';
import { ParcelgateError } from '../../domain/index.js';
import type { ExchangeStore, WebhookSubscription } from '../../store/index.js';
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

/** Checks a webhook URL: absolute http(s), no credentials; throws webhook.invalid-url. */
export function checkWebhookUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ParcelgateError('webhook.invalid-url', `url is not an absolute URL: ${JSON.stringify(url)}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new ParcelgateError('webhook.invalid-url', `url must use http or https, not ${u.protocol}`);
  if (u.username !== '' || u.password !== '')
    throw new ParcelgateError(
      'webhook.invalid-url',
      'url must not carry credentials; the signature authenticates',
    );
  return u.toString();
}

function checkSecret(secret: string): string {
  const raw = secret.startsWith('whsec_') ? secret.slice(6) : '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw) || Buffer.from(raw, 'base64').length < 24)
    throw new ParcelgateError(
      'webhook.invalid-secret',
      'secret must be whsec_ followed by base64 of at least 24 bytes',
    );
  return secret;
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
  const types = [...new Set(s.eventTypes ?? [])];
  for (const t of types)
    if (!eventType.test(t))
      throw new ParcelgateError(
        'webhook.invalid-event-type',
        `event type ${JSON.stringify(t)} is not like consignment.released`,
      );
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
