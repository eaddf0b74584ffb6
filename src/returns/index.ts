/** Returns: returned and refused parcels, re-export, refund position from the revenue assessment, statistics. */
export * from './schemas.js';
export { refundPosition, type LineTreatment, type RefundPosition } from './refund.js';
export {
  applyReturnAction,
  returnStates,
  returnTransitions,
  type ParcelReturn,
  type ReturnState,
} from './returns.js';
export { ReturnsService, returnStats, type ReturnStats } from './service.js';
export { returnErrorCodes } from './error-codes.js';
