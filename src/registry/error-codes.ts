/** Error codes raised by the registry store. */

/** Every registry store error code and what it means. */
export const registryErrorCodes: Readonly<Record<string, string>> = Object.freeze({
  'registry.conflict': 'The document changed (or already exists) since it was read: reload and retry (409)',
  'registry.invalid-write': 'A registry write without a collection or id (500)',
});
