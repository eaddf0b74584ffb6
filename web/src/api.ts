/**
 * Calls the parcelgate API: the signed session cookie (HttpOnly, set by sign-in; the page never holds
 * a key or token), the console header that cookie-authenticated changes need, actor header, problems.
 */
import { allows, ruleFor } from '../../src/access/permissions.js';
import { isRole } from '../../src/access/roles.js';

const actorStorage = 'parcelgate.actor';

/** Who is signed in, from GET /v1/whoami (or the open-mode defaults). */
export interface Identity {
  authMode: 'open' | 'keys';
  actor: string;
  role: string | null;
  operatorId: string | null;
}

/** An API error: the problem document's code and detail, or the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole problem document (e.g. its `issues`), when the API sent one. */
    readonly problem: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * What a request that got no answer (server stopped, network down) says. It may have been cut off
 * after the server received it, so it does not claim nothing was recorded.
 */
export const unreachableMessage =
  'The parcelgate server could not be reached (it may be stopped, or the network is down). Try again in a moment; reload the page to see what was recorded.';

/**
 * `fetch`, with a failure to reach the server (a TypeError "Failed to fetch") turned into an ApiError
 * `network.unreachable` that says so, instead of the browser's bare TypeError.
 */
async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network.unreachable', unreachableMessage);
  }
}

/**
 * Exchanges an API key for a session cookie (`POST /v1/sessions` with `{"cookie": true}`): the key is
 * sent once and kept nowhere; the answer carries no token. False when the key is refused.
 */
export async function signInWithKey(key: string): Promise<boolean> {
  const res = await send('/v1/sessions', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify({ cookie: true }),
  });
  return res.status === 201;
}

/** Ends the session (the server refuses it from then on) and clears the cookie. */
export async function signOut(): Promise<void> {
  await send('/v1/sessions', { method: 'DELETE', credentials: 'same-origin', headers: consoleHeader });
}

let identity: Identity = { authMode: 'open', actor: 'officer:console', role: null, operatorId: null };
export const currentIdentity = (): Identity => identity;

/**
 * Whether the signed-in role may call `METHOD /route` (the route as the server registers it, e.g.
 * `POST /v1/cases/:id/actions`), by the role table the server enforces (src/access/permissions.ts):
 * the console offers an action only to roles the server will let do it. Open mode (no role): yes.
 */
export function mayCall(method: string, route: string): boolean {
  const { role } = identity;
  if (role === null) return true;
  const rule = ruleFor(method, route);
  return rule !== undefined && isRole(role) && allows(rule, role);
}

/** The actor recorded on officer decisions: the signed-in identity, or the name typed in open mode. */
export const actor = (): string =>
  identity.authMode === 'keys' ? identity.actor : (sessionStorage.getItem(actorStorage) ?? identity.actor);
export const setActor = (name: string): void => sessionStorage.setItem(actorStorage, name);

/** Called when the API answers 401: the app shows the sign-in form. */
let onUnauthorised: () => void = () => undefined;
export const whenUnauthorised = (f: () => void): void => {
  onUnauthorised = f;
};

const consoleHeader = { 'x-parcelgate-console': '1' };

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return { accept: 'application/json', ...consoleHeader, ...extra };
}

async function fail(res: Response): Promise<never> {
  let code = `http.${res.status}`;
  let message = `${res.status} ${res.statusText}`;
  let problem: Record<string, unknown> = {};
  try {
    const p = (await res.json()) as { code?: string; detail?: string; title?: string };
    problem = p as Record<string, unknown>;
    if (p.code) code = p.code;
    message = p.detail || p.title || message;
  } catch {
    // not a problem document
  }
  if (res.status === 401) onUnauthorised();
  throw new ApiError(res.status, code, message, problem);
}

/** GET a JSON resource. */
export async function get<T>(path: string, params: Record<string, string | undefined> = {}): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const url = q.size > 0 ? `${path}?${q}` : path;
  // The actor too: in open mode it is who "mine" means in the queue's claim filter.
  const res = await send(url, { headers: headers({ 'x-actor': actor() }) });
  if (!res.ok) return fail(res);
  return (await res.json()) as T;
}

/** GET a binary resource (e.g. an X-ray image) as a blob, shown through an object URL. */
export async function getBlob(path: string): Promise<Blob> {
  const res = await send(path, { headers: headers({ accept: '*/*' }) });
  if (!res.ok) return fail(res);
  return res.blob();
}

/** POST JSON as the current officer. */
export async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await send(path, {
    method: 'POST',
    headers: headers({ 'content-type': 'application/json', 'x-actor': actor() }),
    body: JSON.stringify(body),
  });
  if (!res.ok) return fail(res);
  return (await res.json()) as T;
}

/**
 * Finds out how the API authenticates: 404 (no access control yet) or `open` proceeds without a
 * key; 401 means a sign-in is needed (no session, or it expired, was ended or is not valid).
 */
export async function whoami(): Promise<'ok' | 'sign-in' | 'session-refused'> {
  const res = await send('/v1/whoami', { headers: headers() });
  if (res.status === 404) {
    identity = { authMode: 'open', actor: 'officer:console', role: null, operatorId: null };
    return 'ok';
  }
  if (res.status === 401) {
    // access.invalid-key: a session was presented but is expired, ended or forged.
    const code = ((await res.json().catch(() => ({}))) as { code?: string }).code;
    return code === 'access.invalid-key' ? 'session-refused' : 'sign-in';
  }
  if (res.status === 403) return 'sign-in';
  if (!res.ok) return fail(res);
  const body = (await res.json()) as Partial<Identity>;
  identity = {
    authMode: body.authMode === 'keys' ? 'keys' : 'open',
    actor: body.actor ?? 'officer:console',
    role: body.role ?? null,
    operatorId: body.operatorId ?? null,
  };
  return 'ok';
}
