import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseDocument } from './documents.js';
import { sampleThreeDocuments } from './samples.js';

const kinds = fc.constantFrom('order' as const, 'payment' as const, 'waybill' as const, 'list' as const);

test('document parsing never throws on random text, JSON or truncations, and every issue is coded', () => {
  const sample = sampleThreeDocuments();
  fc.assert(
    fc.property(
      kinds,
      fc.oneof(fc.string({ maxLength: 300 }), fc.json({ maxDepth: 4 })),
      fc.nat(),
      (kind, text, cut) => {
        const full = JSON.stringify(sample[kind]);
        for (const payload of [text, full.slice(0, cut % (full.length + 1))]) {
          const r = parseDocument(kind, payload);
          if (!r.ok) for (const i of r.issues) assert.match(i.code, /^three-doc\./);
        }
        assert.equal(parseDocument(kind, full).ok, true);
      },
    ),
  );
});

test('hostile documents: prototype keys, deep nesting and oversized payloads are refused cleanly', () => {
  const order = JSON.stringify(sampleThreeDocuments().order);
  const polluted = order.replace('{', '{"__proto__":{"polluted":true},');
  const r = parseDocument('order', polluted);
  assert.equal(r.ok, false);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const deep = '['.repeat(5000) + ']'.repeat(5000);
  assert.equal(parseDocument('order', deep).ok, false);
  const huge = parseDocument('order', ' '.repeat(1_000_001));
  assert.deepEqual(huge.ok ? [] : huge.issues.map((i) => i.code), ['three-doc.too-large']);
});
