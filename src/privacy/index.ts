/** Personal data: data classes, retention and purge, field encryption, redaction. */
export * from './fields.js';
export * from './keyring.js';
export * from './encrypting-store.js';
export * from './retention.js';
export * from './rekey.js';
export * from './export.js';
export * from './export-xlsx.js';
export * from './pseudonym.js';
export * from './pseudonym-rows.js';
export * from './pseudonym-guard.js';
export * from './rekey-pseudonyms.js';
