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
  't86.required': 'A US Entry Type 86 data element is missing.',
  't86.format': 'A US Entry Type 86 data element does not have the required format.',
  't86.not-eligible': 'The shipment is outside Type 86 (value over USD 800, not destined to the US).',
});
