/** What the console's forms share: the reason every recorded action needs, and failures in the status line. */
import { ApiError } from './api.js';

/** Shows a failure in a form's status line (a live region, so screen readers announce it). */
export function showError(status: HTMLElement, err: unknown): void {
  status.textContent = err instanceof ApiError ? `${err.code}: ${err.message}` : String(err);
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
