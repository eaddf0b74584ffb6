/** Writes the generated files: schema/consignment.schema.json, schema/openapi.json, docs/data-model.md, docs/errors.md. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { consignmentJsonSchema, dataModelDoc, errorsDoc, openApiDocument } from './generated.js';

const files: [string, string][] = [
  ['schema/consignment.schema.json', consignmentJsonSchema()],
  ['schema/openapi.json', await openApiDocument()],
  ['docs/data-model.md', dataModelDoc()],
  ['docs/errors.md', errorsDoc()],
];
for (const [rel, text] of files) {
  writeFileSync(join(packageRoot, rel), text);
  console.log(`wrote ${rel}`);
}
