import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../reference/index.js';
import { roleTableMarkdown } from './permissions.js';
import { roles } from './roles.js';

test('docs/security.md shows the role table exactly as the code enforces it', () => {
  const doc = readFileSync(join(packageRoot, 'docs', 'security.md'), 'utf8');
  assert.ok(
    doc.includes(roleTableMarkdown(roles)),
    'regenerate the table: node dist/scripts/print-role-table.js',
  );
});
