/** Operations: readiness, graceful shutdown, backup and restore. */
export * from './readiness.js';
export * from './shutdown.js';
export * from './backup.js';
