/** Loading and validating the shipped revenue data. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParcelgateError } from '../domain/index.js';
import { knownFxFeeds, loadFxFeeds, loadRevenueContext, loadRevenueProfiles } from './load-context.js';
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

  it('refuses an --fx feed name no profile prescribes, listing the known names, before reading the file', () => {
    const known = knownFxFeeds();
    assert.ok(known.includes('ecb') && known.includes('frbny') && known.includes('hmrc-monthly'));
    for (const spec of ['ecbb=/nonexistent/fx5.csv', 'ECB=/nonexistent/fx5.csv'])
      assert.throws(
        () => loadFxFeeds([spec]),
        (e: unknown) =>
          e instanceof ParcelgateError &&
          e.code === 'fx-feed.invalid' &&
          e.message.includes(known.join(', ')) &&
          !e.message.includes('cannot read'),
        spec,
      );
    assert.throws(() => loadFxFeeds(['ecbb=x.csv']), /--fx ecbb: no jurisdiction profile prescribes a feed/);
    // A known name gets as far as reading its file.
    assert.throws(() => loadFxFeeds(['ecb=/nonexistent/fx5.csv']), /fx feed ecb: cannot read/);
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
