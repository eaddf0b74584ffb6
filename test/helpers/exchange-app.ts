/**
 * The API over SQLite clearance and exchange stores in a temporary folder, for exchange tests, and
 * the three-document operators with a helper that registers a key and sends one signed document.
 */
import { buildApp } from '../../src/api/index.js';
import type { PipelineDeps } from '../../src/clearance/index.js';
import { sampleThreeDocuments, signPayload } from '../../src/exchange/index.js';
import { openTempSqliteStores } from '../../src/exchange/testing/sqlite-stores.js';

type AppOptions = Parameters<typeof buildApp>[0];

/** Builds the app on fresh stores; `close` closes the app, then both stores, and removes the folder. */
export async function openExchangeApp(opts: {
  prefix: string;
  snapshot: ReturnType<PipelineDeps['snapshot']>;
  now: string;
  c2c?: AppOptions['c2c'];
  webhookDestinations?: AppOptions['webhookDestinations'];
}) {
  const stores = openTempSqliteStores(opts.prefix);
  const { store, exchange } = stores;
  const app = await buildApp({
    store,
    exchange,
    snapshot: () => opts.snapshot,
    clock: () => new Date(opts.now),
    ...(opts.c2c === undefined ? {} : { c2c: opts.c2c }),
    ...(opts.webhookDestinations === undefined ? {} : { webhookDestinations: opts.webhookDestinations }),
  });
  return {
    app,
    store,
    exchange,
    close: async () => {
      await app.close();
      await stores.close();
    },
  };
}

/** The operator sending each of the three documents and the list. */
export const threeDocOperators = {
  order: 'opr_platform',
  payment: 'opr_payco',
  waybill: 'opr_logico',
  list: 'opr_enterprise',
} as const;

export type ThreeDocKind = keyof typeof threeDocOperators;

/**
 * Registers `keys` as `k-<kind>` for the kind's operator, then sends that document signed with it;
 * gives both answers, unchecked.
 */
export async function sendThreeDocument(
  app: Awaited<ReturnType<typeof buildApp>>,
  kind: ThreeDocKind,
  keys: { publicKey: string; privateKeyPem: string },
  docs: ReturnType<typeof sampleThreeDocuments>,
) {
  const headers = { 'x-submitter-id': threeDocOperators[kind] };
  const reg = await app.inject({
    method: 'POST',
    url: '/v1/signing-keys',
    headers,
    payload: { keyId: `k-${kind}`, publicKey: keys.publicKey, purposes: [kind] },
  });
  const payload = JSON.stringify(docs[kind]);
  const res = await app.inject({
    method: 'POST',
    url: kind === 'list' ? '/v1/three-documents/lists' : `/v1/three-documents/${kind}`,
    headers,
    payload: { keyId: `k-${kind}`, payload, signature: signPayload(keys.privateKeyPem, kind, payload) },
  });
  return { reg, res };
}
