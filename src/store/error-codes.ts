/** Error codes raised by the store adapters; listed in docs/errors.md and docs/storage.md. */

/** Every store error code and what it means. */
export const storeErrorCodes: Readonly<Record<string, string>> = Object.freeze({
  'store.key-conflict': 'A batch gave a link key to a consignment other than the one that owns it (409)',
  'store.schema-too-new': 'The database was migrated by a newer parcelgate than this one (500)',
  'store.invalid-cursor': 'A list cursor that the store did not issue (400)',
  'store.invalid-limit': 'A list limit that is not a positive integer (400)',
  'store.unavailable':
    'The database could not be reached or ended the connection during the request; retry it (503, Retry-After)',
});

// Connection failures, not faults of the request: PostgreSQL's SQLSTATE classes 08 (connection
// exception) and 57P01-57P03 (the server is shutting down, crashed or starting), and the socket errors.
const unavailableCodes = new Set([
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether `err` says the database could not be reached or ended the connection (a restart, failover,
 * `pg_terminate_backend`, a network cut): the request may be retried as it was, where any other
 * failure is a fault to look into.
 */
export function isStoreUnavailable(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return unavailableCodes.has(code) || code.startsWith('08');
  // node-postgres's own error for a connection that closed under a query carries no code.
  return typeof message === 'string' && /^Connection terminated/.test(message);
}
