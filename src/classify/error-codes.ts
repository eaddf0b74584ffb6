/** Every error code the classifier emits, with its meaning (rendered into docs/errors.md). */
export const classifyErrorCodes: Readonly<Record<string, string>> = {
  'classify.csv-empty': 'The CSV file has no header or no rows.',
  'classify.csv-no-description': 'The CSV header has no `description` column.',
  'classify.csv-bad-hs':
    "A code in the hs6/hs/hscode column is not 6 to 10 digits (the row's error line names the line).",
  'classify.csv-malformed':
    'The CSV header cannot be parsed, or a row has a stray or unclosed quote or the wrong number of fields (the row gets an error line naming its line).',
  'classify.csv-blank-row': 'A CSV row is blank (every cell empty); its output line carries this error.',
  'classify.csv-empty-description':
    'A CSV row has an empty description cell; its output line carries this error.',
  'classify.vocabulary-invalid':
    'The curated vocabulary file does not match its format; the JSON path is given.',
};
