/** Error codes of identity and access, audit and personal data; listed in docs/errors.md. */
export const accessErrorCodes: Readonly<Record<string, string>> = Object.freeze({
  'access.unauthenticated':
    'The endpoint needs an API key or session: send `Authorization: Bearer <key>` (401).',
  'access.invalid-key': 'The presented API key or session is unknown, malformed, revoked or expired (401).',
  'access.forbidden': "The key's role may not call this endpoint (403); see docs/security.md.",
  'access.console-header':
    'A change sent with the console session cookie lacks the `x-parcelgate-console: 1` header (403).',
  'access.unmapped-route': 'The endpoint has no entry in the role table and is refused (403).',
  'access.rate-limited':
    'Too many requests for this key in the current window (429); retry after the given time.',
  'access.unknown-role': 'A role name that is not one of the defined roles (400).',
  'access.invalid-operator': 'An operator id with characters outside letters, digits and :._@- (400).',
  'access.key-not-found': 'No API key has this id (404).',
  'access.key-inactive': 'The API key is revoked or expired and cannot be rotated (409).',
  'privacy.key-missing': 'A stored value was encrypted with a data key that is not configured (500).',
  'privacy.invalid-keyring': 'PARCELGATE_DATA_KEYS is not a list of id:base64 32-byte keys (500).',
  'privacy.invalid-pseudonym-key':
    'PARCELGATE_PSEUDONYM_KEY is not id:base64 of a 32-byte key, or uses the id of the built-in development key (500).',
  'privacy.pseudonym-key-missing':
    'PARCELGATE_PSEUDONYM_KEY is not set where a secret pseudonym key is needed: PostgreSQL, or a server on a non-loopback address (500).',
  'privacy.pseudonym-key-mismatch':
    "The database's person and party pseudonyms are under another key, unkeyed, or (migration 82) consignee keys made without the street: set the right key or run `parcelgate privacy rekey-pseudonyms` (500).",
  'ops.not-ready': 'The process is starting or shutting down, or its store does not answer (503).',
});
