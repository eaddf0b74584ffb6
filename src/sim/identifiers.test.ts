import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isValidAwb,
  isValidS10,
  makeAwb,
  makeIoss,
  makeOrderId,
  makeS10,
  s10CheckDigit,
} from './identifiers.js';
import { Prng } from './prng.js';

describe('transport document identifiers', () => {
  it('computes the UPU S10 check digit of the reference example RR123456785GB', () => {
    assert.equal(s10CheckDigit('12345678'), 5);
    assert.equal(isValidS10('RR123456785GB'), true);
    assert.equal(isValidS10('RR123456784GB'), false);
  });

  it('maps a raw check of 10 to 0 and of 11 to 5', () => {
    // 00000008: 8 * 7 = 56, 56 mod 11 = 1, 11 - 1 = 10 -> 0. 00000000: sum 0, 11 - 0 = 11 -> 5.
    assert.equal(s10CheckDigit('00000008'), 0);
    assert.equal(s10CheckDigit('00000000'), 5);
  });

  it('issues S10 ids that pass their own check and carry the dispatch country', () => {
    const rng = new Prng(7);
    for (let i = 0; i < 1000; i++) {
      const id = makeS10(rng, 'CN');
      assert.ok(isValidS10(id), id);
      assert.ok(id.endsWith('CN'));
    }
  });

  it('issues 11-digit air waybills whose last digit is the serial mod 7', () => {
    const rng = new Prng(8);
    for (let i = 0; i < 1000; i++) {
      const id = makeAwb(rng);
      assert.ok(isValidAwb(id), id);
    }
    assert.equal(isValidAwb('16012345675'), 1234567 % 7 === 5);
  });

  it('issues IOSS numbers as IM, the Member State numeric code and seven digits', () => {
    const rng = new Prng(9);
    assert.match(makeIoss(rng, 'NL'), /^IM528\d{7}$/);
    assert.throws(() => makeIoss(rng, 'GB'), RangeError);
  });

  it('formats order numbers in the style of each platform', () => {
    const rng = new Prng(10);
    assert.match(makeOrderId(rng, 'AMZ'), /^\d{3}-\d{7}-\d{7}$/);
    assert.match(makeOrderId(rng, 'ALX'), /^8\d{15}$/);
    assert.match(makeOrderId(rng, 'WSH'), /^[0-9a-f]{24}$/);
  });
});
