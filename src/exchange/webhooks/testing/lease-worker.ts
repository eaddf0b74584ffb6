/**
 * Child process for the dispatcher lease test: runs one webhook dispatcher with PostgreSQL delivery
 * leases on a schema until SIGTERM (or SIGKILL), printing `sent <notification id>` after each 2xx.
 *
 * Usage: node lease-worker.js <url> <schema>
 */
import { openPgExchangeStore } from '../../../store/exchange/open-exchange-store.js';
import { WebhookDispatcher } from '../dispatcher.js';
import { httpPoster } from '../poster.js';
import { loopbackReceivers } from './destinations.js';
import { pgAdvisoryLeases } from '../lease.js';

const [url, schema] = process.argv.slice(2);
if (url === undefined || schema === undefined) throw new Error('usage: lease-worker.js <url> <schema>');
const store = await openPgExchangeStore({ url, schema });
const leases = pgAdvisoryLeases({ url, namespace: schema });
const real = httpPoster({ timeoutMs: 5000, destinations: loopbackReceivers });
const dispatcher = new WebhookDispatcher(store, {
  leases,
  batchSize: 5,
  post: async (u, body, headers) => {
    const r = await real(u, body, headers);
    if (r.ok) process.stdout.write(`sent ${headers['webhook-id'] ?? ''}\n`);
    return r;
  },
});
const abort = new AbortController();
process.once('SIGTERM', () => abort.abort());
process.stdout.write('ready\n');
await dispatcher.run(abort.signal, 10);
await leases.close();
await store.close();
