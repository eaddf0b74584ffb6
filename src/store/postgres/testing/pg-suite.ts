/** Declaring a file's PostgreSQL tests: the test database, throwaway schemas, and the skip without one. */
import { after, test } from 'node:test';
import { dropSchemas, freshSchemaName, pgTestTarget } from './pg-test-env.js';

/**
 * Declares PostgreSQL tests: `body` gets the test database URL and a maker of fresh schema names, whose
 * schemas are all dropped after the file's tests. Without a test database (outside CI), one skipped test
 * named `name` says why.
 */
export function postgresTests(name: string, body: (url: string, freshSchema: () => string) => void): void {
  const target = pgTestTarget();
  if (target.url === undefined) {
    test(name, { skip: target.skip }, () => undefined);
    return;
  }
  const url = target.url;
  const schemas: string[] = [];
  after(() => dropSchemas(url, schemas));
  body(url, () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    return schema;
  });
}
