/** Validation issues and coded errors shared by every module. Every code is listed in docs/errors.md. */

/** One problem with one field of one record. `path` is a JSON Pointer into the record. */
export interface ValidationIssue {
  code: string;
  path: string;
  message: string;
}

/** An expected failure carried as a value. */
export type Result<T, E = ValidationIssue[]> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });

/** An unexpected or request-level failure with a stable code and an HTTP status. */
export class ParcelgateError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ParcelgateError';
  }
}
