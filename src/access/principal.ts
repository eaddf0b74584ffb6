/** The principal of a request: set by the access hooks, or taken from headers in open mode. */
import type { FastifyRequest } from 'fastify';
import type { Principal } from './roles.js';

const principals = new WeakMap<FastifyRequest, Principal>();

/** Records the authenticated principal of a request. */
export function setPrincipal(req: FastifyRequest, p: Principal): void {
  principals.set(req, p);
}

/**
 * Who the request acts as. Authenticated requests (keys mode) use the key's operator; open mode keeps
 * the old behaviour: `x-submitter-id` names the submitter and `x-actor` the officer.
 */
export function principalOf(req: FastifyRequest): Principal {
  const p = principals.get(req);
  if (p) return p;
  const submitter = req.headers['x-submitter-id'];
  return {
    actor: String(req.headers['x-actor'] ?? submitter ?? 'anonymous'),
    role: null,
    operatorId: submitter === undefined ? null : String(submitter),
    via: 'open',
  };
}

/** The submitter id and actor a pipeline call records, as the routes used to compute them. */
export function requestIdentity(
  req: FastifyRequest,
  as: 'submitter' | 'officer',
): { actor: string; submitterId: string } {
  const p = principals.get(req);
  if (p && p.via !== 'open') return { actor: p.actor, submitterId: p.operatorId ?? p.actor };
  const submitter = String(req.headers['x-submitter-id'] ?? 'anonymous');
  const actor = as === 'officer' ? String(req.headers['x-actor'] ?? 'officer:unidentified') : submitter;
  return { actor, submitterId: submitter };
}

const personalReads = new WeakSet<FastifyRequest>();

/**
 * Marks a request whose answer carries personal data although its route is not marked `personalData`
 * (a consignment's events holding the text of an answer to a request for information): the access
 * hooks write the `personal-data.read` audit entry for it as for a personal-data route.
 */
export function notePersonalDataRead(req: FastifyRequest): void {
  personalReads.add(req);
}

/** Whether {@link notePersonalDataRead} marked the request. */
export const readPersonalData = (req: FastifyRequest): boolean => personalReads.has(req);

/** An audit entry a route asks for besides its rule's (who claimed, took over or overrode what). */
export interface AuditNote {
  action: string;
  subject: string;
  data?: Record<string, unknown>;
}

const auditNotes = new WeakMap<FastifyRequest, AuditNote[]>();

/**
 * Adds an entry to the audit log for this request, attributed to its principal, once it succeeds (the
 * access hooks write it when the answer is sent with a status below 300; open mode keeps no log).
 */
export function noteAudit(req: FastifyRequest, note: AuditNote): void {
  const list = auditNotes.get(req);
  if (list) list.push(note);
  else auditNotes.set(req, [note]);
}

/** The entries {@link noteAudit} added to a request. */
export const auditNotesOf = (req: FastifyRequest): readonly AuditNote[] => auditNotes.get(req) ?? [];
