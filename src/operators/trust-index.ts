/** An immutable, in-memory view of the registry that assessments read: who is who, status, score, enforcement. */
import { createHash } from 'node:crypto';
import type { ConsignmentInput } from '../domain/index.js';
import { identifierKey } from './identifiers.js';
import type { Operator, OperatorKind } from './schemas.js';
import type { TrustStatus } from './status.js';

/** What the index holds about one operator. */
export interface OperatorTrust {
  operatorId: string;
  kind: OperatorKind;
  name: string;
  statuses: readonly TrustStatus[];
  compliance?: { score: number; band: 'high' | 'medium' | 'low'; observations: number };
  /** Confirmed counterfeit or unsafe-goods cases against this operator (as seller or platform). */
  enforcement: { confirmedCases: number };
}

/** The index: identifier keys (`EORI:DE123…`, `PLATFORM-SELLER:temu/884`) to operators. */
export interface TrustIndex {
  readonly version: string;
  resolve(key: string): string | undefined;
  get(operatorId: string): OperatorTrust | undefined;
  readonly size: number;
}

/** Everything the index is built from. */
export interface TrustIndexInput {
  operators: readonly Operator[];
  statuses: readonly TrustStatus[];
  scores: ReadonlyMap<string, { score: number; band: 'high' | 'medium' | 'low'; observations: number }>;
  confirmedCases: ReadonlyMap<string, number>;
}

/** Builds the index; its version is a digest of its content, recorded on every assessment that used it. */
export function buildTrustIndex(input: TrustIndexInput): TrustIndex {
  const byKey = new Map<string, string>();
  const byId = new Map<string, OperatorTrust>();
  const statusesOf = new Map<string, TrustStatus[]>();
  for (const s of input.statuses) {
    const list = statusesOf.get(s.operatorId) ?? [];
    list.push(s);
    statusesOf.set(s.operatorId, list);
  }
  for (const o of input.operators) {
    for (const id of o.identifiers) byKey.set(identifierKey(id), o.id);
    const compliance = input.scores.get(o.id);
    byId.set(o.id, {
      operatorId: o.id,
      kind: o.kind,
      name: o.name,
      statuses: statusesOf.get(o.id) ?? [],
      ...(compliance ? { compliance } : {}),
      enforcement: { confirmedCases: input.confirmedCases.get(o.id) ?? 0 },
    });
  }
  const digest = createHash('sha256');
  for (const o of [...byId.values()].sort((a, b) => a.operatorId.localeCompare(b.operatorId))) {
    digest.update(
      JSON.stringify([
        o.operatorId,
        o.statuses.map((s) => [
          s.id,
          s.level,
          s.validFrom,
          s.validTo,
          s.withdrawnAt,
          s.suspensions,
          s.mutualRecognition,
        ]),
        o.compliance?.score,
        o.enforcement.confirmedCases,
      ]),
    );
  }
  for (const [k, v] of [...byKey].sort(([a], [b]) => a.localeCompare(b))) digest.update(`${k}=${v};`);
  const version = `trust:${digest.digest('hex').slice(0, 12)}`;
  return { version, resolve: (k) => byKey.get(k), get: (id) => byId.get(id), size: byId.size };
}

/** An empty index (no operator known). */
export const emptyTrustIndex = (): TrustIndex =>
  buildTrustIndex({ operators: [], statuses: [], scores: new Map(), confirmedCases: new Map() });

/** The role a party plays in a consignment. */
export type PartyRole = 'submitter' | 'declarant' | 'seller' | 'platform' | 'tax-registrant';

/** Identifier keys of the parties named in a consignment (and its submitter, when known). */
export function partyKeys(input: ConsignmentInput): { role: PartyRole; key: string }[] {
  const out: { role: PartyRole; key: string }[] = [];
  const partyId = (role: PartyRole, id: { type: string; value: string } | undefined) => {
    if (id && (id.type === 'EORI' || id.type === 'VAT' || id.type === 'TIN'))
      out.push({ role, key: identifierKey({ scheme: id.type, value: id.value }) });
  };
  partyId('declarant', input.declarant?.id);
  partyId('seller', input.seller?.id);
  if (input.platform) {
    out.push({ role: 'platform', key: identifierKey({ scheme: 'PLATFORM', value: input.platform.id }) });
    if (input.platform.sellerId)
      out.push({
        role: 'seller',
        key: identifierKey({
          scheme: 'PLATFORM-SELLER',
          value: `${input.platform.id}/${input.platform.sellerId}`,
        }),
      });
  }
  const tax = input.taxCollection;
  if (
    tax &&
    (tax.scheme === 'IOSS' || tax.scheme === 'VOEC' || tax.scheme === 'OVR' || tax.scheme === 'UKVAT')
  )
    out.push({ role: 'tax-registrant', key: identifierKey({ scheme: tax.scheme, value: tax.number }) });
  return out;
}

/** The registered operators involved in a consignment, each with the roles it plays. */
export function involvedOperators(
  index: TrustIndex,
  input: ConsignmentInput,
  submitterId?: string,
): { operator: OperatorTrust; roles: PartyRole[] }[] {
  const found = new Map<string, { operator: OperatorTrust; roles: PartyRole[] }>();
  const add = (operatorId: string | undefined, role: PartyRole) => {
    if (operatorId === undefined) return;
    const operator = index.get(operatorId);
    if (!operator) return;
    const entry = found.get(operatorId);
    if (entry) {
      if (!entry.roles.includes(role)) entry.roles.push(role);
    } else found.set(operatorId, { operator, roles: [role] });
  };
  if (submitterId !== undefined) add(submitterId, 'submitter');
  for (const p of partyKeys(input)) add(index.resolve(p.key), p.role);
  return [...found.values()];
}
