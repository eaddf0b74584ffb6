/**
 * Writes the generated files: schema/consignment.schema.json, schema/openapi.json, docs/data-model.md,
 * docs/errors.md, and docs/img/perf-history.svg from the table of full bench runs in docs/performance.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { consignmentJsonSchema, dataModelDoc, errorsDoc, openApiDocument } from './generated.js';
import { parseFullRuns, renderFullRunsSvg } from './perf-history-chart.js';

const files: [string, string][] = [
  ['schema/consignment.schema.json', consignmentJsonSchema()],
  ['schema/openapi.json', await openApiDocument()],
  ['docs/data-model.md', dataModelDoc()],
  ['docs/errors.md', errorsDoc()],
  [
    'docs/img/perf-history.svg',
    renderFullRunsSvg(parseFullRuns(readFileSync(join(packageRoot, 'docs/performance.md'), 'utf8'))),
  ],
];
for (const [rel, text] of files) {
  writeFileSync(join(packageRoot, rel), text);
  console.log(`wrote ${rel}`);
}
