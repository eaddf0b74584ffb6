/**
 * Work-queue claims in the console (docs/console.md "Claims"): the "claimed by" badge of the queue,
 * and the claim bar of the consignment page (claim, release, kept alive while the page is open).
 */
import { ApiError, actor, currentIdentity, get, post } from './api.js';
import { badge, h } from './dom.js';
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

const until = (iso: string) => `${iso.slice(11, 16)} UTC`;

/**
 * The claim bar of a consignment page: who holds it, and Claim / Release for those who work the queue.
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
    claim === null
      ? 'Nobody has claimed this consignment.'
      : claim.officerId !== actor()
        ? `Claimed by ${claim.officerId} until ${until(claim.expiresAt)}.`
        : `Claimed by you until ${until(claim.expiresAt)}.`,
  );
  const act = async (path: string, done: string) => {
    try {
      await post(`/v1/console/claims/${encodeURIComponent(id)}${path}`, {});
      reload(done);
    } catch (err) {
      status.textContent = err instanceof ApiError ? `Not done: ${err.message}` : String(err);
    }
  };
  const buttons: HTMLElement[] = [];
  if (mayClaim() && claim === null)
    buttons.push(
      h(
        'button',
        { type: 'button', id: 'claim', onclick: () => void act('', 'Claimed: it is yours to decide.') },
        'Claim',
      ),
    );
  if (mayClaim() && claim !== null && !heldByOther(claim))
    buttons.push(
      h(
        'button',
        { type: 'button', id: 'release', onclick: () => void act('/release', 'Released.') },
        'Release',
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
          holder.textContent = `Claimed by you until ${until(c.expiresAt)}.`;
          schedule();
        })
        .catch(() => {
          holder.textContent = 'Your claim could not be renewed: reload the page.';
        });
    }, wait);
  };
  schedule();
}
