/** Every error code the classifier emits, with its meaning (rendered into docs/errors.md). */
export const classifyErrorCodes: Readonly<Record<string, string>> = {
  'classify.csv-empty': 'The CSV file has no header or no rows.',
  'classify.csv-no-description': 'The CSV header has no `description` column.',
  'classify.csv-bad-hs': 'A code in the hs6/hs/hscode column is not six digits (details.line names the row).',
  'classify.csv-malformed':
    'The CSV cannot be parsed (unbalanced quotes, ragged rows); details.line names the row.',
  'classify.vocabulary-invalid':
    'The curated vocabulary file does not match its format; the JSON path is given.',
};
