/** Error codes of the returns module. */

/** Every returns error code and what it means. */
export const returnErrorCodes: Readonly<Record<string, string>> = Object.freeze({
  'return.not-found': 'No return has this id (404)',
  'return.transition-not-allowed': 'The return table does not allow this action in the current state (409)',
  'return.export-reference-required':
    'A re-export needs the export declaration or return waybill reference (400)',
  'return.payment-reference-required': 'Paying a refund needs the payment reference (400)',
  'return.reason-required': 'Rejecting a refund claim needs a reason (400)',
  'return.claim-time-limit':
    "The refund claim comes after the destination's claim time limit (release date + the rule's days) (409)",
  'return.nothing-repayable': 'No border-collected duty or VAT is repayable for this return (409)',
  'return.invalid-items': 'An item index is not an item of the consignment (422)',
  'return.already-registered': 'The consignment already has a return for these items (409)',
  'return.customs-decision':
    "A submitter's key cannot register a customs-return: returning a parcel on a customs decision is an officer's (403, `/kind`)",
  'return.invalid-date':
    'A return or return action is dated after the clock, or before the step it follows (the release, the previous action) (422, `/at`)',
});
