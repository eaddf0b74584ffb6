/** Error codes of the platform partnership module. */

/** Every partnership error code and what it means. */
export const partnershipErrorCodes: Readonly<Record<string, string>> = Object.freeze({
  'rights-holder.not-found': 'No rights holder has this id (404)',
  'brand.not-found': 'No protected brand has this id (404)',
  'brand.exists': 'The brand (or one of its aliases) is already protected by a rights holder (409)',
  'case.not-found': 'No case has this id (404)',
  'case.transition-not-allowed': 'The case table does not allow this action in the current state (409)',
  'case.disposal-required': 'Disposing of seized goods needs the disposal method (400)',
  'case.no-platform': 'The case names no platform, so no notice can be sent (422)',
  'notice.not-found': 'No platform notice has this id (404)',
  'notice.already-answered': 'The platform has already answered this notice (409)',
  'notice.wrong-platform': 'The notice is addressed to another platform (403)',
  'notice.invalid-date':
    "The answer's `at` is more than 5 minutes after the server's clock or before the notice it answers (422, at `/at`)",
});
