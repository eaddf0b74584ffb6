/** Registry of every issue code the exchange module (postal XML, H7, PLACI, Type 86) can emit. */

/** Every exchange issue code and what it means; docs/formats/postal.md and eu-us-datasets.md cite them. */
export const exchangeErrorCodes: Readonly<Record<string, string>> = Object.freeze({
  'xml.not-text': 'The input is not a string of XML text.',
  'xml.empty': 'The document is empty (or only whitespace).',
  'xml.too-large': 'The document is larger than the size cap (50 MB by default).',
  'xml.encoding-unsupported': 'The XML declaration names an encoding other than UTF-8.',
  'xml.encoding-invalid':
    'The text holds characters XML forbids or that betray a wrong decoding (NUL, U+FFFD, lone surrogates).',
  'xml.doctype-forbidden': 'The document has a DOCTYPE or ENTITY declaration (refused: entity expansion).',
  'xml.too-deep': 'Elements are nested deeper than the depth cap.',
  'xml.syntax': 'The document is not well-formed XML.',
  'xml.unreadable': 'The document could not be read for another reason.',
  'postal.root': 'The root element is not the expected one (ITMATT).',
  'postal.no-items': 'The document has no Item element.',
  'postal.too-many-items': 'The document has more Item elements than the cap.',
  'postal.unexpected-element': 'An element appears that the postal format does not define at that place.',
  'postal.repeated-element': 'An element that may appear once appears several times.',
  'postal.number': 'An element that must hold a number (quantity, weight) does not.',
  'postal.code': 'An element holds a value outside its code list (category, unit, identifier type).',
  'postal.boolean': 'An element that must hold true or false holds something else.',
  'exchange.unknown-response-code': 'A customs response carries a response code with no postal mapping.',
  'h7.required': 'A data element the H7 dataset requires is missing.',
  'h7.format': 'An H7 data element does not have the required format.',
  'h7.not-eligible':
    'The consignment is not eligible for an H7 declaration (e.g. intrinsic value over EUR 150).',
  'h7.ioss-tax-lines': 'Tax lines are declared although the additional fiscal reference (IOSS) is present.',
  'placi.required': 'A PLACI (ICS2 house-level 7+1) element is missing.',
  'placi.format': 'A PLACI element does not have the required format.',
  'placi.routing': 'The routing countries do not include the acceptance and the delivery country.',
  'placi.generic-description': 'The goods description is a generic term ICS2 rejects (e.g. "gift", "parts").',
  'dataset.empty': 'An H7 or PLACI file holds no document (an empty array) (422).',
  'dataset.too-many': 'An H7 or PLACI file holds more than 1,000 documents (422).',
  'dataset.not-json': 'An H7 or PLACI file is not JSON (422).',
  't86.required': 'A US Entry Type 86 data element is missing.',
  't86.format': 'A US Entry Type 86 data element does not have the required format.',
  't86.not-eligible': 'The shipment is outside Type 86 (value over USD 800, not destined to the US).',
  'feed.invalid-cursor':
    'The feed cursor (`after` of /v1/feed or /v1/postal/events.xml) is not a whole number >= 0 (400).',
  'feed.invalid-limit':
    'The feed page size (`limit` of /v1/feed or /v1/postal/events.xml) is not a whole number from 1 to 1,000 (400).',
  'feed.cursor-ahead':
    'The feed cursor (`after`) is beyond the latest position of the stream, so no event would ever follow it; `latest` gives that position (409).',
  'webhook.invalid-url': 'A webhook URL is not an absolute http(s) URL, or carries credentials (400).',
  'webhook.invalid-secret': 'A webhook secret is not whsec_ followed by base64 of at least 24 bytes (400).',
  'webhook.invalid-event-type': 'A webhook event filter names something that is not an event type (400).',
  'webhook.invalid-from':
    'A webhook start or replay position is not now, beginning or a seq from 1 to the next event (`latest` + 1) (400).',
  'webhook.destination-forbidden':
    "A webhook URL's host is, or resolves to, a non-public address (loopback, private, link-local, metadata, reserved…, also IPv4-mapped) or is a special-use name such as localhost; see docs/notifications.md#destinations (400).",
  'webhook.destination-unresolvable': "A webhook URL's host name resolves to no address (400).",
  'webhook.not-found': 'No webhook subscription with this id belongs to the caller (404).',
  'keys.exists': 'A signing key with this key id is already registered (409).',
  'keys.invalid': 'A public key is not a raw 32-byte Ed25519 key in base64 (or an SPKI PEM) (400).',
  'keys.invalid-purpose': 'A signing key purpose is not one parcelgate knows (400).',
  'keys.not-found': 'No signing key has this id (404).',
  'keys.operator-required':
    'Customs staff manage signing keys for an operator and must name it: operatorId in the body, ?operator= in a list (400).',
  'exchange.unavailable':
    'The server runs without the exchange store (feed, webhooks, keys, three documents) (503).',
  'signature.unknown-key': 'The envelope names a key id that is not registered.',
  'signature.revoked-key': 'The signing key was revoked before the document was received.',
  'signature.wrong-operator': 'The signing key belongs to another operator than the submitter.',
  'signature.wrong-purpose': 'The signing key is not registered for this kind of document.',
  'signature.invalid': 'The Ed25519 signature does not verify over the payload.',
  'three-doc.signature-refused': 'A signed document or list was refused for its signature; see issues (403).',
  'three-doc.invalid-document': 'A signed document or list does not match its schema; see issues (422).',
  'three-doc.too-large': 'A document payload is larger than 1 MB.',
  'three-doc.malformed': 'A document payload is not JSON.',
  'three-doc.invalid': 'A document field is missing or has the wrong form (the path names it).',
  'three-doc.unknown-kind': 'The document kind is not order, payment or waybill (400).',
  'three-doc.after-acceptance':
    'The declaration list of the order is already accepted; its documents are final (409).',
  'three-doc.other-submitter':
    'A document or list of this kind and order number was sent by another operator; only that operator may amend it (409).',
  'three-doc.order-not-found': 'Nothing has been received for this order number, or not by the caller (404).',
  'three-doc.invalid-status': 'A report status that is not pending, accepted, rejected or missing (400).',
  'three-doc.missing': 'A document of the order has not been received yet (the list waits).',
  'three-doc.missing-after-timeout': 'A document of the order was still absent when the list timed out.',
  'three-doc.mismatch': 'The order, payment, waybill and list disagree on a field beyond the tolerance.',
  'three-doc.buyer-id-invalid':
    "The buyer's resident identity number is malformed (length, birth date, check character).",
  'three-doc.declaration-rejected':
    'The matched list did not pass consignment validation in the clearance pipeline.',
  'quota.annual-exceeded':
    "The order would take the buyer's cross-border retail total for the year over the limit.",
  'quota.order-exceeded':
    'The order is over the per-order limit and is not a single indivisible item (more than one item, or one line of several pieces).',
  'quota.unavailable': 'The CN profile has no cross-border retail limits on that date.',
  'c2c.agreement-invalid':
    'A data-sharing agreement (file, API or CLI) is invalid: form, dates, parties, unknown fields or purposes; the issues name each field (422).',
  'c2c.no-agreement':
    'No data-sharing agreement with this id is in force with the sending administration (403).',
  'c2c.signature-refused':
    'Signed export data or findings were refused for their signature; see issues (403).',
  'c2c.invalid-message': 'Export data is not JSON or does not have the message form (422).',
  'c2c.field-outside-agreement': 'Export data carries a field the agreement does not share (422).',
  'c2c.record-rejected':
    'Export data covering the core fields did not make a valid consignment record (422).',
  'c2c.agreement-not-found': 'No data-sharing agreement has this id (404).',
  'c2c.agreement-exists': 'A data-sharing agreement with this id already exists (409).',
  'c2c.agreement-conflict':
    'The agreement changed since the version the caller read (If-Match / expectVersion); read it again (409).',
  'c2c.unavailable': 'The server has no data-sharing agreements or administration id configured (503).',
});
