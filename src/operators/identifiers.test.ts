import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { checkIdentifier, identifierKey } from './identifiers.js';
import type { IdentifierScheme } from './schemas.js';
import { partyKeys } from './trust-index.js';
import { postalItem } from '../testing/consignments.js';

const ok = (scheme: IdentifierScheme, value: string) =>
  checkIdentifier({ scheme, value }, '/x') === undefined;

describe('operator identifiers', () => {
  test('accepts well-formed numbers of every scheme and refuses malformed ones with the expected format', () => {
    const good: [IdentifierScheme, string][] = [
      ['EORI', 'DE123456789012345'],
      ['EORI', 'xi 123456789000'],
      ['VAT', 'EL123456789'],
      ['TIN', '91350211M000100Y43'],
      ['IOSS', 'IM2760000001'],
      ['VOEC', '2024083'],
      ['OVR', 'M90371234X'],
      ['UKVAT', 'GB123456789'],
      ['ABN', '51824753556'],
      ['NZGST', '123456789'],
      ['PLATFORM', 'temu.eu'],
      ['PLATFORM-SELLER', 'MKT/shop-9'],
      ['UPU', 'DEA'],
    ];
    for (const [s, v] of good) assert.ok(ok(s, v), `${s} ${v}`);
    const bad: [IdentifierScheme, string][] = [
      ['EORI', 'QQ123'],
      ['EORI', 'DE1234567890123456'],
      ['IOSS', 'IM123'],
      ['VOEC', 'VOEC12'],
      ['ABN', '51824753557'],
      ['PLATFORM-SELLER', 'no-slash'],
      ['PLATFORM-SELLER', 'a/b/c'],
    ];
    for (const [s, v] of bad) {
      const issue = checkIdentifier({ scheme: s, value: v }, '/identifiers/3');
      assert.equal(issue?.code, 'operator.invalid-identifier', `${s} ${v}`);
      assert.equal(issue?.path, '/identifiers/3');
      assert.match(issue!.message, /expected/);
    }
  });

  test('normalisation makes spacing and case irrelevant to the key, and never changes validity', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]{2}[0-9]{6,12}$/),
        fc.array(fc.constantFrom(' ', '.', '-'), { maxLength: 3 }),
        (v, seps) => {
          const noisy = seps.reduce((s, c, i) => s.slice(0, i + 1) + c + s.slice(i + 1), v).toLowerCase();
          assert.equal(
            identifierKey({ scheme: 'VAT', value: noisy }),
            identifierKey({ scheme: 'VAT', value: v }),
          );
          assert.equal(ok('VAT', noisy), ok('VAT', v));
        },
      ),
    );
  });

  test('a consignment names its parties by declarant and seller ids, platform, platform seller and IOSS number', () => {
    const p = postalItem({
      platform: { id: 'MKT', orderId: 'O', sellerId: 's1' },
      taxCollection: { scheme: 'IOSS', number: 'IM2760000001' },
    });
    const input = { ...p, seller: { ...p.seller!, id: { type: 'EORI' as const, value: 'cn123' } } };
    assert.deepEqual(partyKeys(input), [
      { role: 'seller', key: 'EORI:CN123' },
      { role: 'platform', key: 'PLATFORM:MKT' },
      { role: 'seller', key: 'PLATFORM-SELLER:MKT/s1' },
      { role: 'tax-registrant', key: 'IOSS:IM2760000001' },
    ]);
  });
});
