import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { consignmentJsonSchema, dataModelDoc, errorsDoc, openApiDocument } from '../scripts/generated.js';
import { parseFullRuns, renderFullRunsSvg } from '../scripts/perf-history-chart.js';

const committed = (rel: string) => readFileSync(join(packageRoot, rel), 'utf8');
const hint = 'generated file drifted from the code: run `npm run schema` and commit the result';

test('the committed JSON Schema matches the consignment model', () => {
  assert.equal(committed('schema/consignment.schema.json'), consignmentJsonSchema(), hint);
});

test('the committed OpenAPI document matches the routes', async () => {
  assert.equal(committed('schema/openapi.json'), await openApiDocument(), hint);
});

test('docs/data-model.md matches the consignment model', () => {
  assert.equal(committed('docs/data-model.md'), dataModelDoc(), hint);
});

test('docs/errors.md lists every error code of every registry', () => {
  assert.equal(committed('docs/errors.md'), errorsDoc(), hint);
});

test('the chart of full bench runs is the one the table in docs/performance.md draws', () => {
  const table = parseFullRuns(committed('docs/performance.md'));
  assert.equal(committed('docs/img/perf-history.svg'), renderFullRunsSvg(table), hint);
});
