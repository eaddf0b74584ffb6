/** What the console's forms share: the reason every recorded action needs, and failures in the status line. */
import { ApiError } from './api.js';

/** A failure as officers read it: the problem's code and detail; a server not reached, said plainly. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.status === 0 ? err.message : `${err.code}: ${err.message}`;
  return String(err);
}

/** Shows a failure in a form's status line (a live region, so screen readers announce it). */
export function showError(status: HTMLElement, err: unknown): void {
  status.textContent = errorText(err);
  status.className = 'form-status error';
}

/**
 * The trimmed reason typed into `field`, or undefined after saying in the status line that a reason
 * of at least 3 characters is required (and moving the focus to the field).
 */
export function reasonOf(
  field: HTMLInputElement | HTMLTextAreaElement,
  status: HTMLElement,
): string | undefined {
  const reason = field.value.trim();
  if (reason.length >= 3) return reason;
  showError(status, 'A reason of at least 3 characters is required.');
  field.focus();
  return undefined;
}
