/** Shared domain types and value objects. */
export * from './consignment-schema.js';
export * from './assessment.js';
export * from './clearance-state.js';
export * from './errors.js';
export * from './ids.js';
export * from './json-pointer.js';
export * from './money.js';
export * from './source-record.js';
export * from './text.js';
