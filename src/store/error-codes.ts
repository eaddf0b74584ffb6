/** Error codes raised by the store adapters; listed in docs/errors.md and docs/storage.md. */

/** Every store error code and what it means. */
export const storeErrorCodes: Readonly<Record<string, string>> = Object.freeze({
  'store.key-conflict': 'A batch gave a link key to a consignment other than the one that owns it (409)',
  'store.schema-too-new': 'The database was migrated by a newer parcelgate than this one (500)',
  'store.invalid-cursor': 'A list cursor that the store did not issue (400)',
  'store.invalid-limit': 'A list limit that is not a positive integer (400)',
});
