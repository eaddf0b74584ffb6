/** The hash-chained audit log. */
export * from './chain.js';
