/** Replay of an assessment made under an earlier profile version uses that version (data/jurisdictions/history). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessRevenue } from './assess-revenue.js';
import { contextAsRecorded, shippedProfileArchive } from './profile-archive.js';
import { replayRevenue } from './simulate.js';
import { worldContext, worldParcel } from './world-fixtures.js';

const AT = '2026-05-04T10:00:00Z';
const gift = worldParcel({
  to: 'GB',
  currency: 'GBP',
  category: 'gift',
  items: [{ amount: '50.00', hs: '640399' }],
});

describe('old profile versions for replay', () => {
  const ctx = worldContext();

  it('keeps every replaced shipped version loadable under its version', () => {
    for (const v of ['uk@2026-03-01', 'cn@2026-03-01', 'id@2026-03-01', 'cn@2026-11-29', 'id@2026-11-30'])
      assert.equal(shippedProfileArchive(v)?.raw.version, v);
    assert.equal(shippedProfileArchive('uk@1999-01-01'), undefined);
    assert.equal(shippedProfileArchive('../index'), undefined);
  });

  it('replays a gift assessed under uk@2026-03-01 with that version: identical, where the current rules differ', () => {
    const old = contextAsRecorded(ctx, 'GB', 'uk@2026-03-01', shippedProfileArchive);
    assert.equal(old.archived, true);
    const recorded = assessRevenue(gift, old.ctx, AT);
    assert.equal(recorded.versions.profile, 'uk@2026-03-01');
    assert.equal(recorded.dueAtBorder, '0.00');

    const replay = replayRevenue(gift, recorded, AT, ctx, shippedProfileArchive);
    assert.deepEqual(
      [replay.identical, replay.profileVersion, replay.archived],
      [true, 'uk@2026-03-01', true],
    );

    const current = replayRevenue(gift, recorded, AT, ctx);
    assert.equal(current.identical, false);
    assert.equal(current.replayed.dueAtBorder, '10.00');
    assert.ok(current.differences.some((d) => d.startsWith('reference data changed')));
  });

  it('uses the current profile when the recorded version is current or unknown', () => {
    const now = assessRevenue(gift, ctx, AT);
    const r = replayRevenue(gift, now, AT, ctx, shippedProfileArchive);
    assert.deepEqual([r.identical, r.archived, r.profileVersion], [true, false, now.versions.profile]);
    const unknown = { ...now, versions: { ...now.versions, profile: 'uk@1999-01-01' } };
    assert.equal(replayRevenue(gift, unknown, AT, ctx, shippedProfileArchive).archived, false);
  });
});
