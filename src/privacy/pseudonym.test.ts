import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { personKeyOf } from '../revenue/ledger.js';
import { consigneeKey, sellerKey } from '../risk/split-shipment.js';
import { cnPlatformOrder } from '../testing/consignments.js';
import { checkPseudonymKey } from './pseudonym-guard.js';
import {
  devPseudonymiser,
  identityPseudonym,
  newPseudonymKey,
  parsePseudonymKey,
  Pseudonymiser,
  pseudonymiserFromEnv,
  pseudonyms,
  usePseudonymiser,
} from './pseudonym.js';

const keyText = newPseudonymKey('k1');
const k1 = new Pseudonymiser(parsePseudonymKey(keyText));

test('a pseudonym is HMAC-SHA-256 under the key, for any text (short, long, any script)', () => {
  const secret = parsePseudonymKey(keyText).secret;
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.string({ unit: 'grapheme', maxLength: 600 }),
        fc.string({ minLength: 300, maxLength: 2000 }),
      ),
      (s) => {
        assert.equal(k1.hex(s, 64), createHmac('sha256', secret).update(s).digest('hex'));
      },
    ),
    { numRuns: 500 },
  );
});

test('different keys make unrelated pseudonyms; the fingerprint names the key and is stable', () => {
  const k2 = new Pseudonymiser(parsePseudonymKey(newPseudonymKey('k2')));
  assert.notEqual(identityPseudonym('PERSONAL:1', k1), identityPseudonym('PERSONAL:1', k2));
  assert.equal(
    identityPseudonym('PERSONAL:1', k1),
    identityPseudonym('PERSONAL:1', new Pseudonymiser(parsePseudonymKey(keyText))),
  );
  assert.match(k1.fingerprint, /^k1:[0-9a-f]{16}$/);
  assert.equal(k1.fingerprint, new Pseudonymiser(parsePseudonymKey(keyText)).fingerprint);
  assert.ok(!k1.fingerprint.includes(parsePseudonymKey(keyText).secret.toString('hex').slice(0, 8)));
});

test('the key variable: id:base64 of 32 bytes; unset means the development key; the dev id is reserved', () => {
  assert.equal(pseudonymiserFromEnv({}), devPseudonymiser);
  assert.equal(pseudonymiserFromEnv({ PARCELGATE_PSEUDONYM_KEY: keyText }).fingerprint, k1.fingerprint);
  for (const bad of [
    'k1',
    'k1:abc',
    `k1:${randomBytes(16).toString('base64')}`,
    `dev:${randomBytes(32).toString('base64')}`,
    `a b:${randomBytes(32).toString('base64')}`,
  ])
    assert.throws(() => pseudonymiserFromEnv({ PARCELGATE_PSEUDONYM_KEY: bad }), {
      code: 'privacy.invalid-pseudonym-key',
    });
});

test('two processes with the same key compute the same pseudonyms', () => {
  const script = `import('${new URL('./pseudonym.js', import.meta.url).href}').then((m) => {
    m.usePseudonymiser(m.pseudonymiserFromEnv());
    process.stdout.write(m.identityPseudonym('PERSONAL:110101199003077777') + ' ' + m.pseudonyms().fingerprint);
  })`;
  const outs = [0, 1].map(() => {
    const r = spawnSync(process.execPath, ['-e', script], {
      env: { ...process.env, PARCELGATE_PSEUDONYM_KEY: keyText },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  });
  assert.equal(outs[0], outs[1]);
  assert.equal(outs[0], `${identityPseudonym('PERSONAL:110101199003077777', k1)} ${k1.fingerprint}`);
});

test('the ledger and risk keys follow the process key (and their memo does too)', () => {
  const order = cnPlatformOrder('73000001', { cny: '1.00', buyerId: '110101199003077777' });
  const before = [personKeyOf(order), consigneeKey(order), sellerKey(order)];
  assert.equal(pseudonyms(), devPseudonymiser);
  usePseudonymiser(k1);
  try {
    const keyed = [personKeyOf(order), consigneeKey(order), sellerKey(order)];
    assert.deepEqual(
      keyed.map((k) => k?.slice(0, 2)),
      ['p:', 'c:', 's:'],
    );
    for (let i = 0; i < 3; i++) assert.notEqual(keyed[i], before[i]);
    assert.equal(keyed[0], identityPseudonym('PERSONAL:110101199003077777', k1));
    assert.ok(!keyed.some((k) => /li wei|200000|110101/i.test(k ?? '')));
  } finally {
    usePseudonymiser(devPseudonymiser);
  }
  assert.deepEqual([personKeyOf(order), consigneeKey(order), sellerKey(order)], before);
});

test('start-up check: records the key on a new database, refuses another key, the dev key where it is not enough', async () => {
  const settings = new Map<string, string>();
  const rows = {
    getSetting: async (n: string) => settings.get(n),
    initSetting: async (n: string, v: string) => {
      if (!settings.has(n)) settings.set(n, v);
      return settings.get(n)!;
    },
  };
  await checkPseudonymKey(rows, { postgres: false, host: '127.0.0.1' }, devPseudonymiser);
  assert.equal(settings.get('pseudonym.key'), devPseudonymiser.fingerprint);
  await assert.rejects(checkPseudonymKey(rows, { postgres: false }, k1), {
    code: 'privacy.pseudonym-key-mismatch',
  });
  await assert.rejects(checkPseudonymKey(rows, { postgres: false, host: '0.0.0.0' }, devPseudonymiser), {
    code: 'privacy.pseudonym-key-missing',
  });
  await assert.rejects(checkPseudonymKey(rows, { postgres: true }, devPseudonymiser), {
    code: 'privacy.pseudonym-key-missing',
  });
  settings.clear();
  await checkPseudonymKey(rows, { postgres: true }, k1);
  await checkPseudonymKey(rows, { postgres: true }, new Pseudonymiser(parsePseudonymKey(keyText)));
  // The same id with another secret is named as such.
  await assert.rejects(
    checkPseudonymKey(rows, { postgres: true }, new Pseudonymiser(parsePseudonymKey(newPseudonymKey('k1')))),
    /same id, other secret/,
  );
});
