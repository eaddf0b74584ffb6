/** Loading and validating the shipped revenue data. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParcelgateError } from '../domain/index.js';
import { loadRevenueContext, loadRevenueProfiles } from './load-context.js';
import { parseGenericProfile } from './generic-profile.js';

describe('revenue data loading', () => {
  it('loads the EU profile for all 27 member states once per process', () => {
    const ctx = loadRevenueContext();
    assert.equal(ctx.profiles.find((p) => p.raw.id === 'eu')?.raw.countries.length, 27);
    assert.equal(ctx.byCountry.get('DE')?.raw.version, 'eu@2026-11-30');
    assert.equal(loadRevenueProfiles(), loadRevenueProfiles());
  });

  it('flags the unconfirmed flat-duty scope and ships unconfirmed fees disabled', () => {
    const eu = loadRevenueProfiles().find((p) => p.raw.id === 'eu')!.raw;
    const flat = eu.regimes.find((r) => r.flatDuty !== undefined)?.flatDuty;
    assert.deepEqual([flat?.scope, flat?.scopeVerified, flat?.amount], ['all-low-value', false, '3']);
    assert.ok((eu.fees ?? []).length > 0);
    for (const fee of eu.fees ?? [])
      assert.deepEqual([fee.id, fee.enabled, fee.verified], [fee.id, false, false]);
  });

  it('rejects an invalid profile with code revenue.profile-invalid and the field path', () => {
    const broken = { ...loadRevenueProfiles()[0]!.raw, currency: 'euro' };
    assert.throws(
      () => parseGenericProfile(broken),
      (e: unknown) =>
        e instanceof ParcelgateError &&
        e.code === 'revenue.profile-invalid' &&
        e.message.includes('/currency'),
    );
  });
});
