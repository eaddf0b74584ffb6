/**
 * Work-queue claims in the console (docs/console.md "Claims"): the "claimed by" badge of the queue,
 * the claim bar of the consignment page (claim, release the claim, kept alive while the page is open),
 * the notice of another officer's claim above the decision form, and claim refusals in words.
 */
import { ApiError, actor, currentIdentity, get, post } from './api.js';
import { badge, clockTime, h, mount } from './dom.js';
import type { QueueItem } from './types.js';

/** A claim as the API returns it. */
export interface ClaimView {
  consignmentId: string;
  officerId: string;
  claimedAt: string;
  expiresAt: string;
}

/** Roles that work the queue and claim consignments (open mode: everyone). */
const claimingRoles = ['officer', 'supervisor'];
export const mayClaim = (): boolean => {
  const { role } = currentIdentity();
  return role === null || claimingRoles.includes(role);
};

/** Whether the caller may decide over another officer's claim (with a reason): supervisors, open mode. */
export const mayOverride = (): boolean => {
  const { role } = currentIdentity();
  return role === null || role === 'supervisor';
};

/** The badge of a claim on a queue row: who holds it ("you"; a role that sees no names: just claimed). */
export function claimBadge(claim: QueueItem['claim']): HTMLElement | null {
  if (!claim) return null;
  const mine = claim.officerId === actor();
  const text =
    claim.officerId === null ? 'claimed' : mine ? 'claimed by you' : `claimed by ${claim.officerId}`;
  return badge(text, mine ? 'claimed-mine' : 'claimed');
}

/** The live claim on a consignment, or null (also for a role that may not see it). */
export async function readClaim(id: string): Promise<ClaimView | null> {
  try {
    return (await get<{ claim: ClaimView | null }>(`/v1/console/claims/${encodeURIComponent(id)}`)).claim;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 403 || err.status === 404)) return null;
    throw err;
  }
}

/** Whether another officer holds the claim. */
export const heldByOther = (claim: ClaimView | null): boolean =>
  claim !== null && claim.officerId !== actor();

/** When a claim ends, on the officer's clock ("14:07"), holding the instant itself. */
const until = (iso: string): HTMLElement => h('time', { datetime: iso }, clockTime(iso));

/**
 * Says, above the decision form, that another officer holds the claim and until when, before anyone
 * types a reason: a supervisor (or open mode) may decide over it with a reason; an officer is refused
 * until the claim is released or runs out. Null when nobody else holds it.
 */
export function claimNotice(claim: ClaimView | null): HTMLElement | null {
  if (claim === null || !heldByOther(claim)) return null;
  return h(
    'p.notice',
    { id: 'claim-notice' },
    h('strong', {}, `${claim.officerId} is working on this consignment`),
    ': they hold its claim until ',
    until(claim.expiresAt),
    '. ',
    mayOverride()
      ? 'You may still decide, over their claim: give a reason to override it (the override is audited).'
      : 'A decision of yours would be refused until they release the claim or it runs out; this page checks again then.',
  );
}

/**
 * Calls `then` once `claim` has run out (a little after, on this browser's clock), if `el` is still on
 * the page by then: the page reads the claim again (the holder may have renewed it).
 */
export function whenClaimEnds(el: HTMLElement, claim: ClaimView, then: () => void): void {
  const wait = Math.min(2 ** 31 - 1, Math.max(15_000, Date.parse(claim.expiresAt) - Date.now() + 2_000));
  setTimeout(() => {
    if (el.isConnected) then();
  }, wait);
}

/**
 * A refusal of a claim route, or of a decision over a claim, in words: "<lead>: officer:lee holds the
 * claim on this consignment until 14:07." — no error code, no ISO instant. Null for other failures.
 */
export function claimRefusalText(err: unknown, lead: string): string | null {
  if (!(err instanceof ApiError)) return null;
  switch (err.code) {
    case 'claim.held-by-other': {
      const holder = err.problem.holder as Partial<ClaimView> | undefined;
      const who = holder?.officerId ?? 'another officer';
      const when = holder?.expiresAt ? ` until ${clockTime(holder.expiresAt)}` : '';
      return `${lead}: ${who} holds the claim on this consignment${when}.`;
    }
    case 'claim.override-forbidden':
      return `${lead}: only a supervisor may decide over another officer's claim.`;
    case 'claim.override-reason-required':
      return `${lead}: give a reason to override the other officer's claim.`;
    case 'claim.not-held':
      return `${lead}: you no longer hold the claim on this consignment (it ran out, or another officer took it).`;
    case 'claim.not-queued':
      return `${lead}: this consignment is no longer in the work queue.`;
    default:
      return null;
  }
}

/**
 * The claim bar of a consignment page: who holds it, and Claim / Release claim for those who work the queue.
 * While the caller holds it and the bar is on the page, the claim is renewed before it expires.
 */
export function claimBar(
  id: string,
  claim: ClaimView | null,
  reload: (message: string) => void,
): HTMLElement {
  const status = h('span.form-status', { role: 'status', id: 'claim-status' }, '');
  const holder = h(
    'span',
    { id: 'claim-holder' },
    ...(claim === null
      ? ['Nobody has claimed this consignment.']
      : [
          claim.officerId !== actor() ? `Claimed by ${claim.officerId} until ` : 'Claimed by you until ',
          until(claim.expiresAt),
          '.',
        ]),
  );
  const act = async (path: string, done: string, lead: string) => {
    try {
      await post(`/v1/console/claims/${encodeURIComponent(id)}${path}`, {});
      reload(done);
    } catch (err) {
      status.textContent =
        claimRefusalText(err, lead) ?? (err instanceof ApiError ? `${lead}: ${err.message}` : String(err));
    }
  };
  const buttons: HTMLElement[] = [];
  if (mayClaim() && claim === null)
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          id: 'claim',
          onclick: () => void act('', 'Claimed: it is yours to decide.', 'Not claimed'),
        },
        'Claim',
      ),
    );
  if (mayClaim() && claim !== null && !heldByOther(claim))
    buttons.push(
      // "Release claim", not "Release": that is the decision to release the parcel.
      h(
        'button',
        {
          type: 'button',
          id: 'release-claim',
          onclick: () => void act('/release', 'Claim released.', 'Claim not released'),
        },
        'Release claim',
      ),
    );
  const bar = h('p.claim-bar', { id: 'claim-bar' }, holder, ...buttons, status);
  if (claim !== null && !heldByOther(claim)) keepAlive(bar, id, claim, holder);
  return bar;
}

/** Renews the caller's claim at half its remaining time, for as long as `bar` is on the page. */
function keepAlive(bar: HTMLElement, id: string, claim: ClaimView, holder: HTMLElement): void {
  let expiresAt = claim.expiresAt;
  const schedule = () => {
    const wait = Math.max(10_000, (Date.parse(expiresAt) - Date.now()) / 2);
    setTimeout(() => {
      if (!bar.isConnected) return;
      post<ClaimView>(`/v1/console/claims/${encodeURIComponent(id)}/renew`, {})
        .then((c) => {
          expiresAt = c.expiresAt;
          mount(holder, 'Claimed by you until ', until(c.expiresAt), '.');
          schedule();
        })
        .catch(() => {
          holder.textContent = 'Your claim could not be renewed: reload the page.';
        });
    }, wait);
  };
  schedule();
}
