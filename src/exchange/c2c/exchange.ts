/**
 * Customs-to-customs: the origin administration signs export data (only the fields its agreement
 * shares); the destination verifies it, turns it into pre-arrival data (a declaration record in the
 * clearance pipeline, linked by transport document with what carriers and platforms send) and answers
 * with its findings (lane, decision, security alerts), signed in turn.
 */
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ParcelgateError, type ConsignmentInput, type ValidationIssue } from '../../domain/index.js';
import { submitBatch, type PipelineDeps, type RequestContext } from '../../clearance/index.js';
import type { ExchangeStore, StoredConsignment } from '../../store/index.js';
import { signPayload, verifyEnvelope, type SignedEnvelope } from '../signing/index.js';
import { findingsNotice } from '../notices.js';
import {
  agreementFor,
  fieldsOutside,
  recordCoreFields,
  selectFields,
  type DataSharingAgreement,
} from './agreement.js';

/** The export data message the origin signs (purpose `export-data`). */
export interface ExportDataMessage {
  messageId: string;
  agreementId: string;
  exportReference: string;
  exportedAt: string;
  consignment: Record<string, unknown>;
}

const ExportDataSchema = TypeCompiler.Compile(
  Type.Object(
    {
      messageId: Type.String({ minLength: 1, maxLength: 80 }),
      agreementId: Type.String({ minLength: 1, maxLength: 64 }),
      exportReference: Type.String({ minLength: 1, maxLength: 80 }),
      exportedAt: Type.String({ minLength: 10, maxLength: 40 }),
      consignment: Type.Record(Type.String(), Type.Unknown()),
    },
    { additionalProperties: false },
  ),
);

/** One alert the destination sends back. */
export interface FindingAlert {
  code: string;
  reason: string;
}

/** The findings message the destination signs (purpose `findings`). */
export interface FindingsMessage {
  messageId: string;
  inReplyTo: string;
  agreementId: string;
  from: string;
  to: string;
  exportReference: string;
  transportDocument: string | null;
  consignmentId: string | null;
  /** `pre-arrival` when the data became a declaration record, `risk-only` when it lacked core fields. */
  use: 'pre-arrival' | 'risk-only';
  lane: string | null;
  decision: string | null;
  security: string | null;
  alerts: FindingAlert[];
  at: string;
}

/** Origin side: builds and signs an export data message with only the agreed fields. */
export function prepareExportData(
  input: ConsignmentInput,
  agreement: DataSharingAgreement,
  meta: { exportReference: string; exportedAt: string; messageId?: string },
  key: { keyId: string; privateKeyPem: string },
): SignedEnvelope {
  const message: ExportDataMessage = {
    messageId: meta.messageId ?? `c2c_${randomBytes(8).toString('hex')}`,
    agreementId: agreement.id,
    exportReference: meta.exportReference,
    exportedAt: meta.exportedAt,
    consignment: selectFields(input as unknown as Record<string, unknown>, agreement.fields),
  };
  const payload = JSON.stringify(message);
  return { keyId: key.keyId, payload, signature: signPayload(key.privateKeyPem, 'export-data', payload) };
}

/** What the destination needs. */
export interface C2cDeps {
  exchange: ExchangeStore;
  pipeline: PipelineDeps;
  agreements: readonly DataSharingAgreement[];
  /** This administration's operator id and findings key; findings are unsigned without a key. */
  administration: { operatorId: string; keyId?: string; privateKeyPem?: string };
}

function refuse(code: string, message: string, issues: ValidationIssue[], status = 422): ParcelgateError {
  return new ParcelgateError(code, message, status, { issues });
}

/** What is wrong with the form of a signed envelope (read from a file or a request), field by field. */
function envelopeIssues(env: unknown): ValidationIssue[] {
  if (typeof env !== 'object' || env === null || Array.isArray(env))
    return [{ code: 'c2c.invalid-message', path: '', message: 'the envelope is not a JSON object' }];
  const issues: ValidationIssue[] = [];
  for (const field of ['keyId', 'payload', 'signature'] as const) {
    const v = (env as Record<string, unknown>)[field];
    if (typeof v !== 'string' || v === '')
      issues.push({
        code: 'c2c.invalid-message',
        path: `/${field}`,
        message: `${field} must be non-empty text`,
      });
  }
  for (const k of Object.keys(env))
    if (!['keyId', 'payload', 'signature'].includes(k))
      issues.push({
        code: 'c2c.invalid-message',
        path: `/${k}`,
        message: `${k} is not a field of the envelope`,
      });
  return issues;
}

function findingsOf(c: StoredConsignment): {
  alerts: FindingAlert[];
  lane: string;
  decision: string;
  security: string;
} {
  const risk = c.assessment.risk;
  const alerts = risk.hits
    .filter((h) => h.kind !== 'random')
    .map((h) => ({
      code:
        h.security !== undefined && h.security !== 'assessment-complete'
          ? `security.${h.security}`
          : `risk.${h.id}`,
      reason: h.reason,
    }));
  for (const m of c.mismatches) alerts.push({ code: `mismatch.${m.field}`, reason: m.message });
  return { alerts, lane: risk.lane, decision: c.assessment.decision, security: risk.security };
}

/**
 * Destination side: verifies the signed export data (key of the origin administration, purpose
 * `export-data`), the agreement in force and that no field outside it was sent; submits a complete
 * record as pre-arrival data and returns the findings, signed with the administration's key.
 */
export async function receiveExportData(
  deps: C2cDeps,
  env: SignedEnvelope,
  ctx: RequestContext,
): Promise<{ findings: FindingsMessage; envelope?: SignedEnvelope }> {
  const form = envelopeIssues(env);
  if (form.length > 0)
    throw refuse('c2c.invalid-message', 'the envelope must be {keyId, payload, signature}, all text', form);
  const sig = await verifyEnvelope(deps.exchange, env, 'export-data', ctx.submitterId, ctx.now);
  if (sig.length > 0) throw refuse('c2c.signature-refused', 'the signed export data is refused', sig, 403);
  let json: unknown;
  try {
    json = JSON.parse(env.payload);
  } catch (e) {
    throw refuse('c2c.invalid-message', 'export data is not JSON', [
      { code: 'c2c.invalid-message', path: '/payload', message: (e as Error).message },
    ]);
  }
  if (!ExportDataSchema.Check(json))
    throw refuse(
      'c2c.invalid-message',
      'export data does not have the message form',
      [...ExportDataSchema.Errors(json)]
        .slice(0, 20)
        .map((e) => ({ code: 'c2c.invalid-message', path: e.path, message: e.message })),
    );
  const msg = json as ExportDataMessage;
  const agreement = agreementFor(deps.agreements, msg.agreementId, ctx.submitterId, ctx.now.slice(0, 10));
  const outside = fieldsOutside(msg.consignment, agreement.fields);
  if (outside.length > 0)
    throw refuse(
      'c2c.field-outside-agreement',
      'the message carries fields the agreement does not share',
      outside,
    );
  const input = msg.consignment as Partial<ConsignmentInput>;
  const complete = recordCoreFields.every((f) =>
    agreement.fields.some((a) => a === f || f.startsWith(`${a}/`)),
  );
  const base = {
    messageId: `c2c_${randomBytes(8).toString('hex')}`,
    inReplyTo: msg.messageId,
    agreementId: agreement.id,
    from: deps.administration.operatorId,
    to: agreement.origin,
    exportReference: msg.exportReference,
    transportDocument: input.transportDocument?.id ?? null,
    at: ctx.now,
  };
  let findings: FindingsMessage;
  if (!complete) {
    findings = {
      ...base,
      consignmentId: null,
      use: 'risk-only',
      lane: null,
      decision: null,
      security: null,
      alerts: [],
    };
  } else {
    const record = { ...input, source: 'declaration', externalRef: msg.exportReference } as ConsignmentInput;
    const [r] = await submitBatch(ctx, [record], deps.pipeline);
    if (r === undefined || r.status === 'rejected' || r.consignmentId === undefined)
      throw refuse(
        'c2c.record-rejected',
        'the export data does not make a valid consignment record',
        r?.issues ?? [],
      );
    const stored = await deps.pipeline.store.get(r.consignmentId);
    const f =
      stored === undefined ? { alerts: [], lane: null, decision: null, security: null } : findingsOf(stored);
    findings = { ...base, consignmentId: r.consignmentId, use: 'pre-arrival', ...f };
  }
  const { keyId, privateKeyPem } = deps.administration;
  const payload = JSON.stringify(findings);
  const envelope =
    keyId === undefined || privateKeyPem === undefined
      ? undefined
      : { keyId, payload, signature: signPayload(privateKeyPem, 'findings', payload) };
  // The findings go back through the outbox too (feed and webhooks of the origin administration).
  await deps.exchange.addNotices([
    findingsNotice(
      agreement.origin,
      { agreementId: agreement.id, inReplyTo: msg.messageId, at: ctx.now },
      findings,
      envelope,
    ),
  ]);
  return envelope === undefined ? { findings } : { findings, envelope };
}

/** Origin side: verifies findings signed by the destination administration (its key registered here). */
export async function verifyFindings(
  exchange: ExchangeStore,
  env: SignedEnvelope,
  destination: string,
  at: string,
): Promise<FindingsMessage> {
  const issues = await verifyEnvelope(exchange, env, 'findings', destination, at);
  if (issues.length > 0)
    throw refuse('c2c.signature-refused', 'the signed findings are refused', issues, 403);
  return JSON.parse(env.payload) as FindingsMessage;
}
