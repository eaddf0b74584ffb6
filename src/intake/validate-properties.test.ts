import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { intakeErrorCodes, isJsonPointer, validateConsignment } from './index.js';
import { hs, validRecord } from './fixtures.js';

describe('validateConsignment on arbitrary input', () => {
  it('never throws and always returns valid JSON pointers for arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, maxDepth: 6 }), (raw) => {
        const r = validateConsignment(raw, hs);
        if (!r.ok) {
          for (const i of r.error) {
            assert.ok(isJsonPointer(i.path), i.path);
            assert.ok(i.code in intakeErrorCodes, i.code);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws for arbitrary JSON, including mutations of a valid record', () => {
    const mutated = fc.record({
      key: fc.constantFrom('items', 'routing', 'seller', 'dates', 'totals'),
      v: fc.jsonValue(),
    });
    fc.assert(
      fc.property(fc.json(), mutated, (text, m) => {
        for (const raw of [JSON.parse(text) as unknown, { ...validRecord(), [m.key]: m.v }]) {
          const r = validateConsignment(raw, hs);
          if (!r.ok)
            for (const i of r.error) assert.ok(isJsonPointer(i.path) && i.code in intakeErrorCodes, i.path);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never mutates its input', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const raw = JSON.parse(text) as unknown;
        validateConsignment(raw, hs);
        assert.equal(JSON.stringify(raw), JSON.stringify(JSON.parse(text)));
      }),
    );
  });
});
