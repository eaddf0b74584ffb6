/** `dispatch`, `webhooks`, `keys` and `three-docs`: notifications and signed documents from the command line. */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type OutboxStream,
  WebhookDispatcher,
  createSubscription,
  type DestinationPolicy,
  exchangeNoticeStream,
  parseAllowList,
  pgAdvisoryLeases,
  generateSigningKeyPair,
  ownedSubscription,
  publicSubscription,
  receiveDocument,
  receiveList,
  orderStatus,
  registerSigningKey,
  replay,
  reportOverdue,
  updateSubscription,
  webhookAuditData,
  signPayload,
  signingPurposes,
  readAgreements,
  prepareExportData,
  receiveExportData,
} from '../exchange/index.js';
import type { ConsignmentInput } from '../domain/index.js';
import type { C2cSettings } from '../api/routes-c2c.js';
import { loadSnapshot } from '../clearance/index.js';
import {
  openPgExchangeStore,
  openPostgresStore,
  openSqliteExchangeStore,
  openSqliteStore,
  type ClearanceStore,
  type ExchangeStore,
} from '../store/index.js';
import { UsageError, outputFile, positiveInt, requireDatabase } from './io.js';
import { AuditLog } from '../audit/index.js';
import { cliActor, openSecurity } from './commands-security.js';
import { openRegistryAt, storedAgreements } from './commands-agreements.js';
import { noticeStream, registryStreamStates } from '../partnership/index.js';
import type { RegistryStore } from '../registry/index.js';

/** Where the stores are: a SQLite data directory or a PostgreSQL URL. */
export interface StoreLocation {
  dataDir?: string;
  postgres?: string;
}

const dataDirOf = (o: StoreLocation): string =>
  o.dataDir ?? process.env.PARCELGATE_DATA_DIR ?? resolve('.parcelgate');

/** Opens the exchange store at the location, for a command that only reads it: no database is refused. */
async function readExchange(o: StoreLocation): Promise<ExchangeStore> {
  if (!o.postgres) requireDatabase(dataDirOf(o));
  return openExchange(o);
}

/** Opens the exchange store at the location (migrating when needed). */
export async function openExchange(o: StoreLocation): Promise<ExchangeStore> {
  return o.postgres
    ? openPgExchangeStore({ url: o.postgres })
    : openSqliteExchangeStore({ dataDir: dataDirOf(o) });
}

/** Opens the clearance store at the location. */
export async function openClearance(o: StoreLocation): Promise<ClearanceStore> {
  return o.postgres ? openPostgresStore({ url: o.postgres }) : openSqliteStore({ dataDir: dataDirOf(o) });
}

/** A JSON file's content; a missing or non-JSON file is a usage error naming it. */
function jsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`file not found or unreadable: ${file}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`);
  }
}

const print = (v: unknown): void => void process.stdout.write(JSON.stringify(v) + '\n');
const list = (s: string | undefined): string[] =>
  s === undefined
    ? []
    : s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');

/**
 * The webhook destination policy from `--webhook-allow` (or, without it, $PARCELGATE_WEBHOOK_ALLOW):
 * comma-separated CIDRs or addresses webhooks may reach although they are not public.
 */
export function webhookDestinations(flag: string | undefined): DestinationPolicy {
  const fromEnv = flag === undefined;
  const text = flag ?? process.env.PARCELGATE_WEBHOOK_ALLOW ?? '';
  const r = parseAllowList(text);
  if (!r.ok)
    throw new UsageError(
      `${fromEnv ? 'PARCELGATE_WEBHOOK_ALLOW' : '--webhook-allow'}: not a CIDR or address: ${r.bad.join(', ')} (e.g. 10.20.0.0/16,fd00:1::/64)`,
    );
  return r.cidrs.length === 0 ? {} : { allow: r.cidrs };
}

/** Dispatcher options from the command line. */
export interface DispatchOptions extends StoreLocation {
  webhookAllow?: string;
  pollMs?: string;
  maxAttempts?: string;
  retryBaseMs?: string;
  threeDocTimeout?: string;
  once?: boolean;
}

const retryOf = (o: DispatchOptions) => ({
  maxAttempts: positiveInt('max-attempts', o.maxAttempts, 8),
  baseDelayMs: positiveInt('retry-base-ms', o.retryBaseMs, 1000),
});

/**
 * Starts the webhook dispatcher (and, every minute, the three-document overdue sweep) on an exchange
 * store; returns a stop function that resolves when the loop has ended.
 */
export function startDispatcher(
  exchange: ExchangeStore,
  o: DispatchOptions,
  streams: readonly OutboxStream[] = [],
  destinations: DestinationPolicy = webhookDestinations(o.webhookAllow),
): () => Promise<void> {
  const log = (message: string, data: Record<string, unknown>) =>
    process.stderr.write(JSON.stringify({ msg: message, ...data }) + '\n');
  // On PostgreSQL several dispatchers share the subscriptions, each delivered under a lease.
  const leases = o.postgres ? pgAdvisoryLeases({ url: o.postgres, log }) : undefined;
  const dispatcher = new WebhookDispatcher(exchange, {
    retry: retryOf(o),
    destinations,
    log,
    streams,
    ...(leases ? { leases } : {}),
  });
  const timeoutMinutes = positiveInt('three-doc-timeout', o.threeDocTimeout, 1440);
  const abort = new AbortController();
  const sweep = setInterval(() => {
    reportOverdue({ exchange, timeoutMinutes }, new Date().toISOString()).catch((err: unknown) =>
      log('overdue sweep failed', { error: String(err) }),
    );
  }, 60_000);
  const loop = dispatcher.run(abort.signal, positiveInt('poll-ms', o.pollMs, 500));
  return async () => {
    clearInterval(sweep);
    abort.abort();
    await loop;
    await leases?.close();
  };
}

/** The further outboxes the dispatcher delivers: partnership notices and exchange notices. */
export function dispatchStreams(exchange: ExchangeStore, registry: RegistryStore): OutboxStream[] {
  return [noticeStream(registry), exchangeNoticeStream(exchange, registryStreamStates(registry))];
}

/** `parcelgate dispatch`: delivers webhooks until SIGINT/SIGTERM (or one pass with --once). */
export async function dispatchCommand(o: DispatchOptions): Promise<void> {
  const destinations = webhookDestinations(o.webhookAllow); // a bad list is refused before opening stores
  const exchange = await openExchange(o);
  // Partnership notices to platforms go out through the same subscriptions.
  const registry = await openRegistryAt(o);
  const streams = dispatchStreams(exchange, registry);
  if (o.once) {
    const leases = o.postgres ? pgAdvisoryLeases({ url: o.postgres }) : undefined;
    const d = new WebhookDispatcher(exchange, {
      retry: retryOf(o),
      destinations,
      streams,
      ...(leases ? { leases } : {}),
    });
    let r = await d.tick();
    const total = { ...r };
    while (r.more) {
      r = await d.tick();
      total.delivered += r.delivered;
      total.failed += r.failed;
      total.deadLettered += r.deadLettered;
      total.replayed += r.replayed;
    }
    const timeoutMinutes = positiveInt('three-doc-timeout', o.threeDocTimeout, 1440);
    const missing = await reportOverdue({ exchange, timeoutMinutes }, new Date().toISOString());
    await leases?.close();
    await exchange.close();
    await registry.close();
    print({ ...total, more: undefined, threeDocMissing: missing.length });
    return;
  }
  const stop = startDispatcher(exchange, o, streams, destinations);
  process.stderr.write('parcelgate dispatch: delivering webhooks (Ctrl-C to stop)\n');
  await new Promise<void>((done) => {
    const end = () =>
      void stop()
        .then(() => exchange.close())
        .then(() => registry.close())
        .then(done);
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
  });
}

/**
 * Records a subscription change made from the command line in the audit log, as the API does for its
 * routes, with the CLI's acting user.
 */
async function auditWebhook(
  o: StoreLocation,
  action: string,
  subject: string,
  data: Record<string, unknown>,
) {
  const security = await openSecurity({
    dataDir: dataDirOf(o),
    ...(o.postgres ? { postgres: o.postgres } : {}),
  });
  try {
    await new AuditLog(security).record({
      actor: cliActor(),
      action,
      subject,
      data: { ...data, via: 'cli' },
    });
  } finally {
    await security.close();
  }
}

/** `parcelgate webhooks add|update|list|replay|dead-letters`; changes are audited as over the API. */
export const webhookCommands = {
  async add(
    o: StoreLocation & {
      operator: string;
      url: string;
      events?: string;
      from?: string;
      secret?: string;
      webhookAllow?: string;
    },
  ) {
    const destinations = webhookDestinations(o.webhookAllow);
    const ex = await openExchange(o);
    try {
      const from =
        o.from === undefined || o.from === 'now' || o.from === 'beginning' ? o.from : Number(o.from);
      const sub = await createSubscription(
        ex,
        {
          operatorId: o.operator,
          url: o.url,
          eventTypes: list(o.events),
          ...(o.secret ? { secret: o.secret } : {}),
          ...(from === undefined ? {} : { from }),
        },
        new Date().toISOString(),
        destinations,
      );
      await auditWebhook(o, 'webhook.created', sub.id, webhookAuditData.created(sub));
      print(sub);
    } finally {
      await ex.close();
    }
  },
  async update(
    id: string,
    o: StoreLocation & {
      url?: string;
      events?: string;
      pause?: boolean;
      resume?: boolean;
      rotateSecret?: boolean;
      webhookAllow?: string;
    },
  ) {
    if (o.pause === true && o.resume === true) throw new UsageError('give --pause or --resume, not both');
    const change = {
      ...(o.url === undefined ? {} : { url: o.url }),
      ...(o.events === undefined ? {} : { eventTypes: list(o.events) }),
      ...(o.pause === true ? { active: false } : o.resume === true ? { active: true } : {}),
      ...(o.rotateSecret === true ? { rotateSecret: true } : {}),
    };
    if (Object.keys(change).length === 0)
      throw new UsageError('nothing to change: give --url, --events, --pause, --resume or --rotate-secret');
    const destinations = webhookDestinations(o.webhookAllow);
    const ex = await openExchange(o);
    try {
      const sub = await ownedSubscription(ex, id, undefined);
      const r = await updateSubscription(ex, sub, change, new Date().toISOString(), destinations);
      await auditWebhook(o, 'webhook.updated', sub.id, webhookAuditData.updated(r));
      print(r.subscription);
    } finally {
      await ex.close();
    }
  },
  async list(o: StoreLocation & { operator?: string }) {
    const ex = await readExchange(o);
    try {
      for (const s of await ex.listSubscriptions(o.operator)) print(publicSubscription(s));
    } finally {
      await ex.close();
    }
  },
  async replay(id: string, o: StoreLocation & { fromSeq?: string; deadLetters?: boolean }) {
    if ((o.fromSeq === undefined) === !o.deadLetters)
      throw new UsageError('give either --from-seq N or --dead-letters');
    const ex = await openExchange(o);
    try {
      const sub = await ownedSubscription(ex, id, undefined);
      const what =
        o.fromSeq !== undefined
          ? { fromSeq: positiveInt('from-seq', o.fromSeq, 1) }
          : { deadLetters: true as const };
      const r = await replay(ex, sub, what, new Date().toISOString());
      await auditWebhook(o, 'webhook.replayed', sub.id, webhookAuditData.replayed(r));
      print(r);
    } finally {
      await ex.close();
    }
  },
  async deadLetters(id: string, o: StoreLocation) {
    const ex = await openExchange(o);
    try {
      for (const d of await ex.deadLetters(id)) print(d);
    } finally {
      await ex.close();
    }
  },
};

/** `parcelgate signing-keys generate|register|revoke|list`. */
export const keyCommands = {
  generate(o: { out: string; force?: boolean }) {
    const { flags } = outputFile('--out', o.out, { force: o.force });
    const pair = generateSigningKeyPair();
    writeFileSync(o.out, pair.privateKeyPem, { mode: 0o600, flag: flags });
    print({ publicKey: pair.publicKey, privateKeyFile: o.out });
  },
  async register(
    o: StoreLocation & { operator: string; publicKey: string; purposes: string; keyId?: string },
  ) {
    const ex = await openExchange(o);
    try {
      const purposes = list(o.purposes);
      if (purposes.length === 0)
        throw new UsageError(`--purposes lists some of ${signingPurposes.join(', ')}`);
      const text = o.publicKey.endsWith('.pem') ? readFileSync(o.publicKey, 'utf8') : o.publicKey;
      print(
        await registerSigningKey(
          ex,
          { operatorId: o.operator, publicKey: text, purposes, ...(o.keyId ? { keyId: o.keyId } : {}) },
          new Date().toISOString(),
        ),
      );
    } finally {
      await ex.close();
    }
  },
  async revoke(keyId: string, o: StoreLocation) {
    const ex = await openExchange(o);
    try {
      if (!(await ex.revokeSigningKey(keyId, new Date().toISOString())))
        throw new UsageError(`no signing key ${keyId}`);
      print(await ex.getSigningKey(keyId));
    } finally {
      await ex.close();
    }
  },
  async list(o: StoreLocation & { operator?: string }) {
    const ex = await readExchange(o);
    try {
      for (const k of await ex.listSigningKeys(o.operator)) print(k);
    } finally {
      await ex.close();
    }
  },
};

/** `parcelgate three-docs sign|submit|status|overdue`. */
export const threeDocCommands = {
  sign(file: string, o: { key: string; keyId: string; kind: string }) {
    const payload = readFileSync(file, 'utf8').trim();
    print({ keyId: o.keyId, payload, signature: signPayload(readFileSync(o.key, 'utf8'), o.kind, payload) });
  },
  async submit(file: string, o: StoreLocation & { kind: string; submitter: string }): Promise<number> {
    const env = jsonFile(file) as {
      keyId: string;
      payload: string;
      signature: string;
    };
    const ex = await openExchange(o);
    const store = await openClearance(o);
    try {
      const snapshot = loadSnapshot();
      const deps = { exchange: ex, pipeline: { store, snapshot: () => snapshot } };
      const ctx = { actor: o.submitter, submitterId: o.submitter, now: new Date().toISOString() };
      const out =
        o.kind === 'list' ? await receiveList(deps, env, ctx) : await receiveDocument(deps, o.kind, env, ctx);
      print(out);
      return 'status' in out && out.status === 'rejected' ? 1 : 0;
    } finally {
      await ex.close();
      await store.close();
    }
  },
  async status(orderNo: string, o: StoreLocation) {
    const ex = await readExchange(o);
    try {
      print(await orderStatus({ exchange: ex }, orderNo));
    } finally {
      await ex.close();
    }
  },
  async overdue(o: StoreLocation & { timeout?: string }) {
    const ex = await openExchange(o);
    try {
      const timeoutMinutes = positiveInt('timeout', o.timeout, 1440);
      for (const l of await reportOverdue({ exchange: ex, timeoutMinutes }, new Date().toISOString()))
        print(l);
    } finally {
      await ex.close();
    }
  },
};

/** Customs-to-customs settings for `serve` (agreements file, this administration, findings key). */
export function c2cSettings(o: {
  agreements?: string;
  administration?: string;
  findingsKey?: string;
  findingsKeyId?: string;
}): C2cSettings | undefined {
  if (o.agreements === undefined && o.administration === undefined) return undefined;
  if (o.administration === undefined)
    throw new UsageError('--agreements needs --administration <operator id>');
  return {
    // Agreements managed in the store (`c2c agreements`, /v1/customs/agreements) apply as well.
    agreements: o.agreements === undefined ? [] : readAgreements(jsonFile(o.agreements)),
    administration: {
      operatorId: o.administration,
      ...(o.findingsKey && o.findingsKeyId
        ? { keyId: o.findingsKeyId, privateKeyPem: readFileSync(o.findingsKey, 'utf8') }
        : {}),
    },
  };
}

/** `parcelgate c2c export|receive`: customs-to-customs export data. */
export const c2cCommands = {
  export(
    file: string,
    o: {
      agreements: string;
      agreement: string;
      key: string;
      keyId: string;
      exportRef: string;
      exportedAt?: string;
    },
  ) {
    const agreement = readAgreements(jsonFile(o.agreements)).find((a) => a.id === o.agreement);
    if (agreement === undefined) throw new UsageError(`no agreement ${o.agreement} in ${o.agreements}`);
    const input = jsonFile(file) as ConsignmentInput;
    print(
      prepareExportData(
        input,
        agreement,
        { exportReference: o.exportRef, exportedAt: o.exportedAt ?? new Date().toISOString() },
        { keyId: o.keyId, privateKeyPem: readFileSync(o.key, 'utf8') },
      ),
    );
  },
  async receive(
    file: string,
    o: StoreLocation & {
      agreements?: string;
      from: string;
      administration: string;
      key?: string;
      keyId?: string;
    },
  ) {
    const env = jsonFile(file) as {
      keyId: string;
      payload: string;
      signature: string;
    };
    const ex = await openExchange(o);
    const store = await openClearance(o);
    try {
      const snapshot = loadSnapshot();
      const out = await receiveExportData(
        {
          exchange: ex,
          pipeline: { store, snapshot: () => snapshot },
          agreements:
            o.agreements === undefined ? await storedAgreements(o) : readAgreements(jsonFile(o.agreements)),
          administration: {
            operatorId: o.administration,
            ...(o.key && o.keyId ? { keyId: o.keyId, privateKeyPem: readFileSync(o.key, 'utf8') } : {}),
          },
        },
        env,
        { actor: o.from, submitterId: o.from, now: new Date().toISOString() },
      );
      print(out);
    } finally {
      await ex.close();
      await store.close();
    }
  },
};
