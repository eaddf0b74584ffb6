/** Platform partnership: rights holders, protected brands, counterfeit and unsafe-goods cases, platform notices. */
export * from './schemas.js';
export {
  applyCaseAction,
  caseStates,
  caseTransitions,
  noticeOutcome,
  type CaseState,
  type EnforcementCase,
} from './cases.js';
export { PartnershipService, type Brand, type PlatformNotice, type RightsHolder } from './service.js';
export { partnershipErrorCodes } from './error-codes.js';
export { noticeStream, registryStreamStates, type NoticeMessage } from './notice-stream.js';
