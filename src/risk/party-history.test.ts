import { test } from 'node:test';
import assert from 'node:assert/strict';
import { devPseudonymiser, Pseudonymiser, usePseudonymiser } from '../privacy/pseudonym.js';
import { assessOperatorTrust, assessRepeatOffender } from './party-history.js';
import { cleanConsignment } from './test-fixtures.js';

/** A pseudonymiser under the development key that counts the pseudonyms it is asked for. */
class CountingPseudonymiser extends Pseudonymiser {
  calls = 0;
  constructor() {
    super(devPseudonymiser.key());
  }
  override cached(text: string): string {
    this.calls++;
    return super.cached(text);
  }
}

test('without an inspection history both party indicators stay quiet and take no pseudonym', () => {
  const counting = new CountingPseudonymiser();
  usePseudonymiser(counting);
  try {
    const c = cleanConsignment({ seller: { name: 'Acme Trading Ltd', address: { country: 'CN' } } });
    assert.equal(assessOperatorTrust(c, undefined).score, 0);
    assert.equal(assessRepeatOffender(c, undefined).score, 0);
    assert.equal(counting.calls, 0);
  } finally {
    usePseudonymiser(devPseudonymiser);
  }
});
