/** Sending one webhook request: the destination checked again, the connection pinned to it. */
import http from 'node:http';
import https from 'node:https';
import type { LookupAddress } from 'node:dns';
import { cachedGuard, type AddressCacheOptions } from './address-cache.js';
import { destinationGuard, type DestinationPolicy } from './destination.js';

/** Outcome of one POST: `ok` for a 2xx answer; `error` says why not. */
export interface PostResult {
  ok: boolean;
  error?: string;
  /**
   * The destination resolved to an address webhooks may not reach (destination.ts): nothing was sent,
   * and the event is dead-lettered at once instead of retried.
   */
  forbidden?: boolean;
}

/** Sends one request; the default (httpPoster) checks the destination, pins it, and follows no redirects. */
export type WebhookPoster = (
  url: string,
  body: string,
  headers: Record<string, string>,
) => Promise<PostResult>;

/** Settings of the default poster. */
export interface HttpPosterOptions {
  /** Whole-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Which destinations may be reached (default: public addresses only). */
  destinations?: DestinationPolicy;
  /** Certificate authorities to trust for https receivers instead of Node's defaults (private CAs, tests). */
  ca?: string;
  /** How long, and for how many hosts, a checked destination is reused (address-cache.ts; default 30 s, 1000). */
  addressCache?: AddressCacheOptions;
}

/**
 * POSTs with node:http(s): before each request the URL's host is resolved again and every address
 * checked (a name that answered public at subscription time may answer private now: DNS rebinding), and
 * the connection goes to the checked addresses only, through a `lookup` that hands them back instead of
 * resolving again; the Host header and TLS SNI keep the name. A check that passed is reused for a short
 * time (30 s by default, address-cache.ts), so a burst to one host resolves it once; the reused addresses
 * are the checked ones, pinned as before. 2xx is success; redirects (never followed), other statuses,
 * timeouts and network errors are failures.
 */
export function httpPoster(opts: HttpPosterOptions = {}): WebhookPoster {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const guard = cachedGuard(destinationGuard(opts.destinations), opts.addressCache);
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true, ...(opts.ca === undefined ? {} : { ca: opts.ca }) }),
  };
  return async (url, body, headers) => {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return { ok: false, forbidden: true, error: `destination-forbidden: ${u.protocol} is not http(s)` };
    const checked = await guard.check(u);
    if (!checked.ok) {
      const r = checked.refusal;
      return r.kind === 'forbidden'
        ? { ok: false, forbidden: true, error: `destination-forbidden: ${r.message}` }
        : { ok: false, error: `destination-unresolvable: ${r.message}` };
    }
    const pinned = checked.addresses;
    const lookup = ((
      _host: string,
      o: { all?: boolean },
      cb: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
    ) => (o.all === true ? cb(null, pinned) : cb(null, pinned[0]!.address, pinned[0]!.family))) as never;
    const module = u.protocol === 'https:' ? https : http;
    return new Promise<PostResult>((resolve) => {
      const req = module.request(
        u,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          agent: agents[u.protocol as 'http:' | 'https:'],
          lookup,
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          // The answer is its status; the body is read and dropped (cut short: still the status).
          const status = res.statusCode ?? 0;
          const result = () =>
            resolve(status >= 200 && status < 300 ? { ok: true } : { ok: false, error: `HTTP ${status}` });
          res.on('error', () => undefined);
          res.on('end', result);
          res.on('close', result);
          res.resume();
        },
      );
      req.on('error', (err: Error & { code?: string; cause?: { name?: string } }) => {
        const why = err.name === 'AbortError' ? (err.cause?.name ?? 'TimeoutError') : undefined;
        resolve({ ok: false, error: why ?? err.code ?? err.name ?? 'request failed' });
      });
      req.end(body);
    });
  };
}
