import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, contentHash } from './content-hash.js';
import { sampleConsignment } from './sample-consignment.js';
import type { ConsignmentInput } from '../domain/index.js';

// Rebuilds every object with its keys in an order drawn from `seed`, arrays untouched.
function permuteKeys(value: unknown, seed: number): unknown {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
    }
    const out: Record<string, unknown> = {};
    // defineProperty, so a generated "__proto__" key stays an own property as JSON.parse makes it
    for (const key of keys) {
      Object.defineProperty(out, key, {
        value: walk((v as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return walk(value);
}

test('canonical JSON sorts object keys at every depth and keeps array order', () => {
  assert.equal(
    canonicalJson({ b: 1, a: [3, { d: true, c: null }, 'x'] }),
    '{"a":[3,{"c":null,"d":true},"x"],"b":1}',
  );
});

test('canonical JSON drops undefined properties and writes undefined array slots as null, like JSON.stringify', () => {
  assert.equal(canonicalJson({ a: undefined, b: [undefined, -0] }), '{"b":[null,0]}');
});

test('canonical JSON parses back to the same value for any JSON value', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      assert.deepEqual(JSON.parse(canonicalJson(value)), JSON.parse(JSON.stringify(value)));
    }),
  );
});

test('the canonical form of any JSON value does not depend on the order of its keys', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
      assert.equal(canonicalJson(permuteKeys(value, seed)), canonicalJson(value));
    }),
  );
});

test('the content hash of a consignment does not depend on the order of its keys', () => {
  const input = sampleConsignment();
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      assert.equal(contentHash(permuteKeys(input, seed) as ConsignmentInput), contentHash(input));
    }),
  );
});

test('the content hash is the sha256 hex of the canonical JSON', () => {
  const input = sampleConsignment();
  const expected = createHash('sha256').update(canonicalJson(input)).digest('hex');
  assert.equal(contentHash(input), expected);
  assert.match(contentHash(input), /^[0-9a-f]{64}$/);
});

// Every leaf of the sample, as a path of keys and indexes.
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...prefix, i]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
  }
  return [prefix];
}

function withLeaf(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? withLeaf(v, rest, leaf) : v));
  const object = value as Record<string, unknown>;
  return { ...object, [head as string]: withLeaf(object[head as string], rest, leaf) };
}

test('changing any single value of a consignment changes its content hash', () => {
  const input = sampleConsignment();
  const paths = leafPaths(input);
  const original = contentHash(input);
  fc.assert(
    fc.property(
      fc.constantFrom(...paths),
      fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
      (path, replacement) => {
        const before = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], input);
        fc.pre(replacement !== before);
        assert.notEqual(contentHash(withLeaf(input, path, replacement) as ConsignmentInput), original);
      },
    ),
  );
});

test('a number and the same digits as a string hash differently', () => {
  const a = sampleConsignment();
  const b = withLeaf(a, ['items', 0, 'quantity'], '1') as ConsignmentInput;
  assert.notEqual(contentHash(a), contentHash(b));
});

test('reordering items changes the content hash, because item order is data', () => {
  const a = sampleConsignment();
  const b = { ...a, items: [...a.items].reverse() };
  assert.notEqual(contentHash(a), contentHash(b));
});
