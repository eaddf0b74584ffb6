/** Error codes of the work-queue claims (src/api/routes-claims.ts). */
/** Error codes of the claims (docs/errors.md). */
export const claimErrorCodes: Readonly<Record<string, string>> = {
  'claim.held-by-other':
    'Another officer holds a live claim on the consignment (`holder` names them and when it expires); a supervisor may override with a reason (409).',
  'claim.not-held':
    'The caller holds no claim on the consignment to renew or release (it expired and was taken, or was released) (409).',
  'claim.not-queued': 'The consignment is not in the work queue, so it cannot be claimed (409).',
  'claim.override-forbidden': "Only a supervisor may override another officer's claim (403).",
  'claim.override-reason-required':
    "Overriding another officer's claim needs a reason of at least 3 characters (`overrideClaim`, or `reason` to release) (400).",
};
