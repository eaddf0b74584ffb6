import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkAwb, checkS10, checkTaxNumber, isValidAbn, makeS10, s10CheckDigit } from './index.js';

const serial = fc.stringMatching(/^\d{8}$/);
const letters = fc.stringMatching(/^[A-Z]{2}$/);

describe('S10 item ids', () => {
  it('computes the published check digits (AA473124829GB, RR123456785CN)', () => {
    assert.equal(s10CheckDigit('47312482'), 9);
    assert.equal(checkS10('AA473124829GB'), 'ok');
    assert.equal(makeS10('RR', '12345678', 'CN'), 'RR123456785CN');
  });

  it('maps a remainder of 10 to 0 and 11 to 5', () => {
    // 00000000: sum 0 -> 11 - 0 = 11 -> 5.  00000001: sum 7 -> 11 - 7 = 4.
    assert.equal(s10CheckDigit('00000000'), 5);
    assert.equal(s10CheckDigit('00000001'), 4);
    // 00000008: sum 56, 56 % 11 = 1 -> 11 - 1 = 10 -> 0.
    assert.equal(s10CheckDigit('00000008'), 0);
  });

  it('rejects malformed ids as format errors', () => {
    for (const id of ['RR12345678CN', 'R1123456785CN', 'RR123456785C', 'rr123456785cn', 'RR1234567855CN']) {
      assert.equal(checkS10(id), 'format', id);
    }
    assert.throws(() => s10CheckDigit('1234567'), RangeError);
  });

  it('validates every generated id and rejects any single changed digit but for the 0/6 remainder blind spot', () => {
    fc.assert(
      fc.property(
        letters,
        serial,
        letters,
        fc.nat(8),
        fc.integer({ min: 1, max: 9 }),
        (svc, s, cc, pos, delta) => {
          const id = makeS10(svc, s, cc);
          assert.equal(checkS10(id), 'ok');
          // Change one of the 9 digits (8 serial digits + check digit) by a non-zero amount mod 10.
          const at = 2 + pos;
          const digit = (id.charCodeAt(at) - 48 + delta) % 10;
          const changed = id.slice(0, at) + String(digit) + id.slice(at + 1);
          // Remainders 0 and 6 both give check digit 5 (11 -> 5 and 11 - 6 = 5): the one case S10 cannot catch.
          const undetectable = pos < 8 && id[10] === '5';
          if (!undetectable) assert.equal(checkS10(changed), 'check-digit', `${id} -> ${changed}`);
          else assert.equal(checkS10(changed) === 'ok', s10CheckDigit(changed.slice(2, 10)) === 5);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('air waybill numbers', () => {
  it('accepts a serial whose last digit is the first seven modulo 7', () => {
    assert.equal(checkAwb('02071234564'), 'ok');
    assert.equal(checkAwb('16012345675'), 'ok');
    assert.equal(checkAwb('02071234565'), 'check-digit');
    assert.equal(checkAwb('0207123456'), 'format');
    assert.equal(checkAwb('020-71234564'), 'format');
  });

  it('accepts exactly one check digit for every generated serial', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{3}$/), fc.stringMatching(/^\d{7}$/), (prefix, s) => {
        const good = Number(s) % 7;
        for (let d = 0; d <= 9; d++) {
          assert.equal(checkAwb(`${prefix}${s}${d}`) === 'ok', d === good);
        }
      }),
    );
  });
});

describe('tax-collection numbers', () => {
  it('validates the ABN checksum (ATO example 51 824 753 556)', () => {
    assert.equal(isValidAbn('51824753556'), true);
    assert.equal(isValidAbn('51824753555'), false);
    assert.equal(isValidAbn('5182475355'), false);
  });

  it('returns the expected format for a wrong number and undefined for a good one', () => {
    assert.equal(checkTaxNumber('IOSS', 'IM2760000001'), undefined);
    assert.match(checkTaxNumber('IOSS', 'IM27600000') ?? '', /IM/);
    assert.equal(checkTaxNumber('OVR', 'T08GB0001A'), undefined);
    assert.equal(checkTaxNumber('OVR', '53312345D'), undefined);
    assert.notEqual(checkTaxNumber('OVR', 'M9037123X'), undefined);
    assert.equal(checkTaxNumber('NZGST', '12345678'), undefined);
    assert.notEqual(checkTaxNumber('NZGST', '1234567890'), undefined);
  });
});
