/** The clearance pipeline: assessment, batch submission, state changes and responses. */
export * from './assess.js';
export * from './context.js';
export * from './response.js';
export * from './snapshot.js';
export * from './submit.js';
export * from './transitions.js';
export * from './ingest-stream.js';
export * from './load-snapshot.js';
export * from './prepare.js';
export * from './evaluate-flood.js';
export * from './prepare-pool.js';
export { step, routeAfterAssessment } from './routing.js';
export { planBatch, type BatchPlan } from './plan.js';
export * from './prepared.js';
export * from './created.js';
export * from './risk-runtime.js';
export * from './revenue-ledger-hook.js';
export * from './revenue-runtime.js';
