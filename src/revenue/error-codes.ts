/** Every error code the revenue module emits, with its meaning (rendered into docs/errors.md). */
export const revenueErrorCodes: Readonly<Record<string, string>> = {
  'revenue.profile-invalid': 'A jurisdiction profile or tariff file does not match the profile format.',
  'revenue.tariff-invalid':
    "A tariff schedule file given to load (CSV or JSON) is invalid; every problem is listed in 'issues'.",
  'fx-feed.invalid':
    'An exchange-rate feed (--fx NAME=FILE.csv) is invalid: a NAME no jurisdiction profile prescribes (the message lists the known ones), or a bad file (the message names the line and field).',
  'tariff-csv.empty': 'The tariff CSV has no header or no rows.',
  'tariff-csv.syntax': 'The tariff CSV cannot be parsed (quotes, ragged rows).',
  'tariff-csv.missing-column': 'A required column of the tariff CSV is missing.',
  'tariff-csv.unknown-column': 'The tariff CSV has a column the importer does not know.',
  'tariff-csv.prefix': 'An HS prefix is not 2 to 10 digits.',
  'tariff-csv.rate':
    'A rate of a tariff schedule (CSV or JSON) is not a decimal fraction in range: ad valorem and excise rates from 0 to 5 (500%), VAT rates from 0 up to, not including, 1; a percentage such as 12 is refused, naming the fraction to write (0.12).',
  'tariff-csv.amount': 'A specific, minimum or maximum amount is not an exact non-negative decimal.',
  'tariff-csv.per': 'The unit of a specific duty is not one of the known units (unit, kg net, kg gross).',
  'tariff-csv.origin': 'An origin is not an assigned ISO 3166-1 alpha-2 country code (ZZ or XX are refused).',
  'tariff-csv.no-duty': 'A row sets no duty measure at all.',
  'tariff-csv.duplicate': 'Two rows give the same HS prefix and origin.',
  'tariff-csv.verified': 'The verified column is not true or false.',
  'tariff-csv.description': 'A description is too long.',
};
