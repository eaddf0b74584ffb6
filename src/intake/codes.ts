/** Registry of every issue code the intake module can emit, with a one-line meaning. */

/** Every intake issue code and what it means; docs/errors.md is rendered from this table. */
export const intakeErrorCodes: Readonly<Record<string, string>> = Object.freeze({
  'input.not-object': 'The record is not a JSON object.',
  'input.unreadable': 'The record could not be read (a throwing getter or proxy passed in-process).',
  'input.forbidden-key': 'A key named __proto__, constructor or prototype appears somewhere in the record.',
  'input.too-deep': 'Objects or arrays are nested deeper than the consignment schema allows.',
  'input.too-many-keys':
    'An object of the record has more keys than any object of the schema could (at most 200).',
  'schema.required': 'A required field is missing.',
  'schema.type': 'A field has the wrong JSON type (e.g. a number where a string is expected).',
  'schema.pattern': 'A string does not match the required pattern (e.g. a code or decimal amount format).',
  'schema.format': 'A string is not in the required format (e.g. an RFC 3339 date-time).',
  'schema.enum': 'A value is not one of the allowed values.',
  'schema.additional-property': 'The record contains a field the schema does not define.',
  'schema.min-items': 'An array has fewer elements than required.',
  'schema.max-items': 'An array has more elements than allowed.',
  'schema.unique-items': 'An array contains duplicate elements.',
  'schema.min-length': 'A string is shorter than allowed (empty where a value is required).',
  'schema.max-length': 'A string is longer than allowed.',
  'schema.minimum': 'A number is below its minimum.',
  'schema.maximum': 'A number is above its maximum.',
  'schema.invalid': 'The value does not conform to the schema (any other structural problem).',
  'text.control-character':
    'A string holds a control character (U+0000 to U+001F other than tab, line feed and carriage return, or U+007F): NUL cannot be stored and the others are not text. Also the issue of a path or query parameter holding any control character, or a string of a JSON request body (`request.control-character`).',
  'transport-document.s10-format':
    'A UPU S10 item id is not 2 letters, 8 digits, a check digit and an ISO country code.',
  'transport-document.s10-check-digit': 'A UPU S10 item id has a wrong check digit.',
  'transport-document.awb-format':
    'An air waybill number is not 11 digits (3-digit prefix + 8-digit serial).',
  'transport-document.awb-check-digit': 'An air waybill serial fails the modulus-7 check digit.',
  'item.quantity-not-whole': 'A quantity of pieces, pairs or sets is not a whole number.',
  'item.hs-code-unknown': 'The first six digits of an HS code are not an HS 2022 subheading.',
  'country.unknown': 'A country code is not an assigned ISO 3166-1 alpha-2 code.',
  'currency.unknown': 'A currency code is not an ISO 4217 currency.',
  'currency.not-for-payment':
    'A currency code is an ISO 4217 fund, precious-metal or special unit (XAU, XDR, USN...), not a currency goods are paid in.',
  'tax-collection.number-format': 'A tax-collection number does not match the format of its scheme.',
  'items.mixed-currency': 'Item values are not all in the same currency.',
  'money.negative': 'A money amount is negative.',
  'dates.out-of-range': 'A date is outside the years 1970 to 2099 (e.g. year 0000 or 9999).',
  'dates.order': 'Dates are out of order (ordered <= accepted <= departure <= expectedArrival).',
  'routing.missing-country': 'The routing countries do not include the dispatch or destination country.',
  'source.required-field': 'A field that this kind of source record must carry is missing.',
  'ndjson.syntax': 'An NDJSON line is not valid JSON.',
  'ndjson.encoding-invalid': 'An NDJSON line holds bytes that are not UTF-8; the line is refused.',
  'csv.encoding-invalid':
    'A CSV row holds bytes that are not UTF-8 (U+FFFD after decoding); its consignment is refused.',
  'ndjson.line-too-long': 'An NDJSON line is longer than the maximum line length (1 MiB by default).',
  'csv.syntax': 'The CSV file is malformed (quoting, column count) and reading stopped.',
  'csv.unknown-column': 'The CSV header names a column that is not in the template.',
  'csv.inconsistent-rows': 'Rows of one consignment (same ref) disagree on a consignment-level column.',
  'xlsx.unreadable':
    'The .xlsx file cannot be read (not a workbook, truncated, over the size cap); reading stopped.',
  'xlsx.empty': 'The workbook has no worksheet with rows.',
  'xlsx.too-many-rows': 'The worksheet has more rows than the cap; split the file.',
  'gzip.invalid':
    'A gzip-compressed file or request body is corrupt or truncated: reading stopped at the damage; the records read before it are handled (committed and listed), nothing after it.',
});
