import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cachedGuard } from './address-cache.js';
import { destinationGuard, type HostLookup } from './destination.js';

/** A resolver giving each host one public address, counting calls per host; `down` hosts fail. */
function counting() {
  const calls = new Map<string, number>();
  const down = new Set<string>();
  const lookup: HostLookup = (host) => {
    calls.set(host, (calls.get(host) ?? 0) + 1);
    if (down.has(host)) return Promise.reject(Object.assign(new Error('no'), { code: 'ENOTFOUND' }));
    return Promise.resolve([{ address: '93.184.215.14', family: 4 }]);
  };
  return { lookup, calls, down };
}

test('the cache is bounded: past maxHosts the least recently used host is forgotten and resolved again', async () => {
  const r = counting();
  const guard = cachedGuard(destinationGuard({ lookup: r.lookup }), { maxHosts: 2, clock: () => 0 });
  const check = (host: string) => guard.check(new URL(`https://${host}/h`));
  await check('a.example');
  await check('b.example');
  await check('a.example'); // a is now the most recently used
  await check('c.example'); // evicts b
  await check('a.example');
  await check('b.example');
  assert.deepEqual(Object.fromEntries(r.calls), { 'a.example': 1, 'b.example': 2, 'c.example': 1 });
});

test('an unresolvable host is not remembered; ttlMs 0 turns the cache off', async () => {
  const r = counting();
  r.down.add('gone.example');
  const guard = cachedGuard(destinationGuard({ lookup: r.lookup }), { clock: () => 0 });
  const gone = new URL('https://gone.example/h');
  assert.equal((await guard.check(gone)).ok, false);
  r.down.delete('gone.example');
  assert.equal((await guard.check(gone)).ok, true);
  assert.equal((await guard.check(gone)).ok, true);
  assert.equal(r.calls.get('gone.example'), 2);
  const off = cachedGuard(destinationGuard({ lookup: r.lookup }), { ttlMs: 0 });
  await off.check(new URL('https://x.example/'));
  await off.check(new URL('https://x.example/'));
  assert.equal(r.calls.get('x.example'), 2);
});

test('property: a host is looked up exactly once per TTL window it is used in, while it stays cached', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 3_000 }),
      async (gaps, ttlMs) => {
        const r = counting();
        let now = 0;
        const guard = cachedGuard(destinationGuard({ lookup: r.lookup }), { ttlMs, clock: () => now });
        let expected = 0;
        let expiresAt = -1;
        for (const gap of gaps) {
          now += gap;
          if (now >= expiresAt) {
            expected++;
            expiresAt = now + ttlMs;
          }
          assert.equal((await guard.check(new URL('https://one.example/'))).ok, true);
        }
        assert.equal(r.calls.get('one.example'), expected);
      },
    ),
  );
});
