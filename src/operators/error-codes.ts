/** Error codes of the operator registry, trust status and compliance modules. */

/** Every operators error code and what it means. */
export const operatorErrorCodes: Readonly<Record<string, string>> = Object.freeze({
  'operator.not-found':
    'No operator has this id: 404 where the URL names it, 422 where a field of the request body does (POST /v1/api-keys `operatorId`, with an issue at that field)',
  'operator.invalid': 'The operator registration or update has invalid fields; see issues (422)',
  'operator.invalid-identifier':
    'An identifier does not match the format of its scheme (EORI, VAT, IOSS, VOEC, OVR, …)',
  'operator.identifier-taken': 'Another operator already holds this identifier (409)',
  'operator.exists': 'An operator with this id is already registered (409)',
  'operator.seller-needs-platform':
    'A platform-seller identifier names a platform code no platform operator holds (422)',
  'status.not-found': 'No status record has this id (404)',
  'status.transition-not-allowed': 'The status table does not allow this action in the current state (409)',
  'status.reason-required': 'A status change needs a reason (400)',
  'status.invalid-validity':
    'Validity dates are inconsistent (end before start, renewal not extending) (400)',
  'rating.invalid': 'An external rating must be a number from 0 to 100 with a positive weight (400)',
  'operators.data-set-invalid':
    'A data-set policy names an unknown source kind, element or set, or lacks the full set (400)',
  'operators.policy-invalid': 'A facilitation policy file has invalid fields (400)',
  'account.invalid-period': 'A deferred-payment statement period is not YYYY-MM (400)',
  'account.nothing-to-settle':
    'The period of a deferred-payment statement has nothing left to settle (no entries, or already settled) (409)',
  'account.period-not-ended':
    'A deferred-payment statement is settled only once its period (a UTC month) has ended: `/period` names the current or a future month (409)',
  'guarantee.invalid':
    'A deferred-payment guarantee body has problems; `issues` lists each with its path (400)',
  'guarantee.invalid-amount':
    'A guarantee amount is not a non-negative decimal string with at most the currency’s minor-unit places',
  'guarantee.invalid-currency': 'A guarantee currency is not an ISO 4217 code of three capital letters',
  'guarantee.headroom-taken':
    "A batch's deferrals would take an account past its deferred-payment guarantee because another process deferred meanwhile (checked in the batch's transaction); the pipeline plans the batch again, so a caller sees it only if that keeps happening (409)",
  'guarantee.currency-in-use':
    'The guarantee currency cannot change while amounts deferred in the old one are unsettled (409)',
  'registry.unavailable': 'The server runs without the operator registry store (503)',
});
