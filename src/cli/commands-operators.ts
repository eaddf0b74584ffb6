/** `operators`, `quality` and `returns` commands: the registry, trust and data quality from the command line. */
import { Decimal } from 'decimal.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { openRegistryServices, type RegistryServices } from '../api/index.js';
import {
  checkGuaranteeInput,
  checkPeriod,
  facilitationFor,
  type GuaranteeView,
  OperatorInput,
  parseFacilitationPolicy,
  type FacilitationPolicy,
  StatusGrant,
  type OperatorKind,
  type StatusAction,
} from '../operators/index.js';
import { qualityReport, renderQualitySvg, type QualityReport } from '../quality/index.js';
import { loadHs2022 } from '../reference/index.js';
import { openPgRegistry, openSqliteRegistry } from '../registry/index.js';
import { openPostgresStore, openSqliteStore, sqliteFileName, type ClearanceStore } from '../store/index.js';
import { UsageError, dayOption, usageErrorOf } from './io.js';

/** Where the data lives: a SQLite data directory or a PostgreSQL URL. */
export interface StoreOptions {
  dataDir: string;
  postgres?: string;
  /** PostgreSQL schema (default `public`; tests use throwaway schemas). */
  schema?: string;
}

/** Opens the registry services beside an open clearance store. */
export async function openRegistryFor(
  clearance: ClearanceStore,
  o: StoreOptions & { policy?: FacilitationPolicy },
): Promise<RegistryServices> {
  const registry = o.postgres
    ? await openPgRegistry({ url: o.postgres, ...(o.schema ? { schema: o.schema } : {}) })
    : openSqliteRegistry({ file: join(o.dataDir, sqliteFileName) });
  return openRegistryServices(registry, clearance, o.policy ? { policy: o.policy } : {});
}

/** Reads `--facilitation-policy <file>` (JSON over the default policy). */
export function readFacilitationPolicy(file: string | undefined): FacilitationPolicy | undefined {
  if (file === undefined) return undefined;
  try {
    return parseFacilitationPolicy(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    throw new UsageError(`--facilitation-policy ${file}: ${(e as Error).message}`);
  }
}

/** Opens the clearance store and the registry services, runs `body`, closes both; product errors become usage errors. */
export async function withServices<T>(
  o: StoreOptions,
  body: (s: RegistryServices, clearance: ClearanceStore) => Promise<T>,
): Promise<T> {
  const clearance = o.postgres
    ? await openPostgresStore({ url: o.postgres, ...(o.schema ? { schema: o.schema } : {}) })
    : openSqliteStore({ dataDir: o.dataDir });
  const services = await openRegistryFor(clearance, o);
  try {
    return await body(services, clearance);
  } catch (e) {
    throw usageErrorOf(e);
  } finally {
    await services.close();
    await clearance.close();
  }
}

/** Prints a value as indented JSON. */
export const print = (x: unknown): void => {
  process.stdout.write(JSON.stringify(x, null, 2) + '\n');
};

/**
 * Prints a list: `{ items }` as JSON with `json`, otherwise one tab-separated line of `cells` per item,
 * and `none` on stderr when there are no items.
 */
export function printList<T>(
  items: readonly T[],
  json: boolean | undefined,
  cells: (item: T) => string[],
  none: string,
): void {
  if (json) return print({ items });
  for (const item of items) process.stdout.write(cells(item).join('\t') + '\n');
  if (items.length === 0) process.stderr.write(`${none}\n`);
}

/** Reads a JSON file ('-' for stdin) or throws a usage error naming it. */
export function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read JSON from ${file}: ${(e as Error).message}`);
  }
}

const operatorCheck = TypeCompiler.Compile(OperatorInput);
const grantCheck = TypeCompiler.Compile(StatusGrant);

/** One schema error as TypeBox reports it (`Errors()`): the schema at fault and the value found. */
export interface SchemaError {
  path: string;
  message: string;
  schema?: unknown;
  value?: unknown;
}

/**
 * The message of a schema error; a union of literals (an enum such as `kind`) lists the allowed
 * values, as the API does (`must be one of …`), where TypeBox says only "Expected union value".
 */
export function schemaErrorMessage(e: SchemaError): string {
  const anyOf = (e.schema as { anyOf?: unknown } | undefined)?.anyOf;
  const literals =
    Array.isArray(anyOf) &&
    anyOf.length > 0 &&
    anyOf.every((s) => typeof s === 'object' && s !== null && 'const' in s)
      ? anyOf.map((s: { const: unknown }) => s.const)
      : undefined;
  if (literals === undefined) return e.message;
  const got = e.value === undefined ? 'nothing' : JSON.stringify(e.value);
  return `must be one of ${literals.map((l) => JSON.stringify(l)).join(', ')}; got ${got}`;
}

/** The value when it passes the compiled schema check, else a usage error listing the problems. */
export function checked<T>(
  check: { Check(v: unknown): boolean; Errors(v: unknown): Iterable<SchemaError> },
  v: unknown,
): T {
  if (check.Check(v)) return v as T;
  // TypeBox reports a missing property twice ("Expected required property", then the type's own
  // error for `undefined`): one line per missing field, "is required" as the API says it.
  const lines: string[] = [];
  const missing = new Map<string, number>();
  for (const e of check.Errors(v)) {
    const path = e.path || '/';
    if (e.value === undefined) {
      const at = missing.get(path);
      const message = schemaErrorMessage(e);
      const allowed = message.startsWith('must be one of ') ? message.replace(/; got nothing$/, '') : '';
      if (at === undefined) {
        missing.set(path, lines.length);
        lines.push(`  ${path}: is required${allowed === '' ? '' : `: ${allowed}`}`);
      } else if (allowed !== '' && !lines[at]!.includes(': must be one of '))
        lines[at] = `${lines[at]!}: ${allowed}`;
      continue;
    }
    lines.push(`  ${path}: ${schemaErrorMessage(e)}`);
  }
  throw new UsageError(['invalid input:', ...lines.slice(0, 20)].join('\n'));
}

/** `operators register <file>`: registers an operator from a JSON file. */
export const registerOperatorCommand = (file: string, o: StoreOptions) =>
  withServices(o, async (s) => {
    const input = readJson(file) as Record<string, unknown>;
    print(
      await s.operators.register(
        checked<OperatorInput>(operatorCheck, { identifiers: [], contacts: [], ...input }),
        new Date().toISOString(),
      ),
    );
  });

/** `operators list`: one line per operator. */
export const listOperatorsCommand = (o: StoreOptions & { kind?: string }) =>
  withServices(o, async (s) => {
    const index = await s.operators.trustIndex();
    const now = new Date().toISOString();
    let after: number | undefined;
    for (;;) {
      const page = await s.operators.list({
        ...(o.kind ? { kind: o.kind as OperatorKind } : {}),
        ...(after !== undefined ? { afterSeq: after } : {}),
        limit: 500,
      });
      for (const op of page.items) {
        const t = index.get(op.id);
        const f = facilitationFor(index, op.id, now, s.operators.policy);
        process.stdout.write(
          [
            op.id,
            op.kind,
            op.name,
            op.identifiers.map((i) => `${i.scheme}:${i.value}`).join(','),
            t?.compliance ? `score ${t.compliance.score}` : 'score -',
            `× ${f.inspectionRateMultiplier}`,
          ].join('\t') + '\n',
        );
      }
      if (!page.nextCursor) return;
      after = Number(page.nextCursor);
    }
  });

/** `operators show <id>`: operator, statuses, compliance and facilitation. */
export const showOperatorCommand = (id: string, o: StoreOptions) =>
  withServices(o, async (s) => {
    const now = new Date().toISOString();
    print({
      operator: await s.operators.get(id),
      statuses: await s.operators.statuses(id, now),
      compliance: await s.operators.compliance(id),
      facilitation: await s.operators.facilitation(id, now),
    });
  });

/** `operators grant <id>`: grants a status. */
export const grantStatusCommand = (
  id: string,
  o: StoreOptions & {
    level: string;
    issuer: string;
    from: string;
    to?: string;
    reference?: string;
    mraAgreement?: string;
    mraProgramme?: string;
    recognisedAs?: string;
  },
) =>
  withServices(o, async (s) => {
    const grant = checked<StatusGrant>(grantCheck, {
      level: o.level,
      issuer: o.issuer,
      validFrom: new Date(o.from).toISOString(),
      ...(o.to ? { validTo: new Date(o.to).toISOString() } : {}),
      ...(o.reference ? { reference: o.reference } : {}),
      ...(o.mraAgreement
        ? {
            mutualRecognition: {
              agreement: o.mraAgreement,
              foreignProgramme: o.mraProgramme ?? o.level,
              recognisedAs: o.recognisedAs ?? 'AEOS',
            },
          }
        : {}),
    });
    print(
      await s.operators.grantStatus(
        id,
        grant,
        `cli:${process.env.USER ?? 'officer'}`,
        new Date().toISOString(),
      ),
    );
  });

/** `operators status <statusId> <action>`: suspend, reinstate, withdraw or renew. */
export const statusActionCommand = (
  statusId: string,
  action: string,
  o: StoreOptions & { reason: string; at?: string; until?: string; validTo?: string },
) =>
  withServices(o, async (s) => {
    if (!['suspend', 'reinstate', 'withdraw', 'renew'].includes(action))
      throw new UsageError(`unknown action '${action}': use suspend, reinstate, withdraw or renew`);
    const iso = (v?: string) => (v ? new Date(v).toISOString() : undefined);
    const at = iso(o.at);
    const until = iso(o.until);
    const validTo = iso(o.validTo);
    print(
      await s.operators.actOnStatus(
        statusId,
        {
          action: action as StatusAction,
          reason: o.reason,
          ...(at ? { at } : {}),
          ...(until ? { until } : {}),
          ...(validTo ? { validTo } : {}),
        },
        `cli:${process.env.USER ?? 'officer'}`,
        new Date().toISOString(),
      ),
    );
  });

/** `operators scores`: processes pending clearance events, then prints every operator's score. */
export const scoresCommand = (o: StoreOptions) =>
  withServices(o, async (s) => {
    const processed = await s.followEvents();
    process.stderr.write(`processed ${processed} clearance event(s)\n`);
    const page = await s.operators.list({ limit: 10_000 });
    for (const op of page.items) {
      const c = await s.operators.compliance(op.id);
      process.stdout.write(
        `${op.id}\t${op.name}\t${c.score.score}\t${c.score.band}\t${c.score.explanation}\n`,
      );
    }
  });

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Renders a quality report as a table, one block per submitter with its trend. */
export function renderQualityReport(r: QualityReport): string {
  const lines = [`Data quality ${r.from} to ${r.to} (by ${r.period})`, ''];
  const head = ['period', 'records', 'score', 'complete', 'vague', 'bad HS', 'late', 'dupl.', 'mismatch'];
  for (const s of r.submitters) {
    lines.push(`${s.submitterId}: score ${s.overall.score}`);
    for (const f of s.overall.findings) lines.push(`  - ${f}`);
    lines.push('  ' + head.map((h) => h.padStart(9)).join(''));
    for (const c of [...s.trend, { ...s.overall, period: 'all' }])
      lines.push(
        '  ' +
          [
            c.period,
            String(c.records),
            String(c.score),
            pct(c.completeness),
            pct(c.vagueShare),
            pct(c.invalidHsShare),
            pct(c.lateShare),
            pct(c.duplicateShare),
            pct(c.mismatchRate),
          ]
            .map((v) => v.padStart(9))
            .join(''),
      );
    lines.push('');
  }
  if (r.submitters.length === 0) lines.push('no records in the period');
  return lines.join('\n') + '\n';
}

/** `quality`: scorecards per submitter and period, as a table or JSON, with an optional SVG chart. */
export const qualityCommand = (
  o: StoreOptions & {
    from: string;
    to: string;
    submitter?: string;
    period?: string;
    json?: boolean;
    chart?: string;
  },
) =>
  withServices(o, async (s) => {
    const period = (o.period ?? 'day') as 'day' | 'week' | 'month';
    if (!['day', 'week', 'month'].includes(period))
      throw new UsageError(`--period must be day, week or month, got '${o.period}'`);
    if (dayOption('from', o.from) >= dayOption('to', o.to))
      throw new UsageError(`--to (the day after the last) must be after --from, got ${o.from} to ${o.to}`);
    const index = await s.operators.trustIndex();
    const report = await qualityReport(s.store, loadHs2022(), {
      from: o.from,
      to: o.to,
      period,
      ...(o.submitter ? { submitterId: o.submitter } : {}),
      reducedDataSet: (id, at) =>
        index.get(id) !== undefined && facilitationFor(index, id, at, s.operators.policy).reducedDataSet,
    });
    process.stdout.write(o.json ? JSON.stringify(report, null, 2) + '\n' : renderQualityReport(report));
    if (o.chart) {
      const first = report.submitters[0];
      if (!first) throw new UsageError('no records in the period: nothing to chart');
      writeFileSync(o.chart, renderQualitySvg(first.submitterId, first.trend));
      process.stderr.write(`chart of ${first.submitterId} written to ${o.chart}\n`);
    }
  });

/** `returns stats`: returns and repayable amounts by platform, seller, reason and kind. */
export const returnStatsCommand = (o: StoreOptions & { from: string; to: string }) =>
  withServices(o, async (s) => {
    print(await s.returns.stats(o.from, o.to));
  });

/** `operators statement <id>`: the periods of a deferred-payment account, or one period's statement. */
export const statementCommand = (id: string, o: StoreOptions & { period?: string; json?: boolean }) =>
  withServices(o, async (s) => {
    await s.operators.get(id);
    const booked = await s.followPayments();
    if (booked > 0) process.stderr.write(`booked ${booked} new account entr${booked === 1 ? 'y' : 'ies'}\n`);
    if (o.period === undefined) {
      const periods = await s.payments.periods(id);
      if (o.json) return print({ operatorId: id, periods });
      process.stdout.write(periods.length ? periods.join('\n') + '\n' : `no account entries for ${id}\n`);
      return;
    }
    const st = await s.payments.statement(id, o.period);
    if (o.json) return print(st);
    const lines = [`Deferred-payment statement ${st.operatorId} ${st.period}, due by ${st.dueBy}`, ''];
    for (const e of st.entries)
      lines.push(
        [
          e.at,
          e.kind.padEnd(6),
          e.consignmentId,
          e.jurisdiction,
          `${e.amount.padStart(12)} ${e.currency}`,
        ].join('  '),
      );
    if (st.entries.length === 0) lines.push('(no entries)');
    lines.push('');
    for (const t of st.totals)
      lines.push(
        `${t.currency}: ${t.entries} entries, debits ${t.debits}, credits ${t.credits}, to pay ${t.net}` +
          (new Decimal(t.settled).isZero()
            ? ''
            : `, settled ${t.settled}, ${new Decimal(t.outstanding).isNegative() ? `overpaid ${new Decimal(t.outstanding).neg().toFixed(t.outstanding.split('.')[1]?.length ?? 0)}` : `outstanding ${t.outstanding}`}`),
      );
    process.stdout.write(lines.join('\n') + '\n');
  });

/** The text of a guarantee view. */
function renderGuarantee(g: GuaranteeView): string {
  const cur = g.currency ?? '';
  const lines = [
    `Deferred-payment guarantee ${g.operatorId}: ${g.amount === null ? 'none registered' : `${g.amount} ${cur}`}`,
    `in use ${g.utilised} ${cur} (deferred, not settled)  reserved ${g.reserved}  available ${g.available} ${cur}`,
  ];
  for (const [c, v] of Object.entries(g.utilisedByCurrency))
    if (c !== g.currency) lines.push(`also deferred in ${c}: ${v} (not covered by the guarantee)`);
  for (const [p, by] of Object.entries(g.settled).sort())
    lines.push(
      `settled ${p}: ${Object.entries(by)
        .map(([c, v]) => `${v} ${c}`)
        .join(', ')}`,
    );
  return lines.join('\n') + '\n';
}

/**
 * `operators guarantee <id> [--amount A --currency C]`: an account's guarantee and utilisation, or
 * registers (replaces) it first.
 */
export const guaranteeCommand = (
  id: string,
  o: StoreOptions & { amount?: string; currency?: string; json?: boolean },
) =>
  withServices(o, async (s) => {
    await s.operators.get(id);
    await s.followPayments();
    if (o.amount !== undefined || o.currency !== undefined) {
      const input = checkGuaranteeInput({ amount: o.amount, currency: o.currency });
      await s.payments.setGuarantee(
        id,
        input,
        `cli:${process.env.USER ?? 'supervisor'}`,
        new Date().toISOString(),
      );
      await s.guarantees.refresh([id]);
    }
    const g = s.guarantees.view(id);
    if (o.json) return print(g);
    process.stdout.write(renderGuarantee(g));
  });

/** `operators settle <id> --period YYYY-MM`: records the payment of a statement, freeing the guarantee. */
export const settleCommand = (id: string, o: StoreOptions & { period: string; json?: boolean }) =>
  withServices(o, async (s) => {
    await s.operators.get(id);
    await s.followPayments();
    const r = await s.payments.settle(id, checkPeriod(o.period), new Date().toISOString());
    await s.guarantees.refresh([id]);
    const out = { operatorId: id, period: o.period, paid: r.paid, guarantee: s.guarantees.view(id) };
    if (o.json) return print(out);
    process.stdout.write(
      `settled ${id} ${o.period}: ${Object.entries(r.paid)
        .map(([c, v]) => `${v} ${c}`)
        .join(', ')}\n` + renderGuarantee(out.guarantee),
    );
  });
