/** As-of replay and what-if simulation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessRevenue } from './assess-revenue.js';
import { compileProfileJson, loadRevenueContext, readProfileJson } from './load-context.js';
import { IOSS, item, parcel } from './scenario-fixtures.js';
import {
  applySettings,
  parsePolicySetting,
  renderSimulationSvg,
  replayRevenue,
  simulate,
  withProfiles,
} from './simulate.js';

const ctx = loadRevenueContext();

describe('as-of replay', () => {
  it('re-assesses a past consignment with the rules of its date: relief in 2025, the flat duty after 2026-07-01', () => {
    const input = parcel({ items: [item('100.00', '610910')] });
    const before = assessRevenue(input, ctx, '2025-03-14T09:00:00Z');
    const after = assessRevenue(input, ctx, '2026-07-01T09:00:00Z');
    assert.equal(before.lines.find((l) => l.type === 'duty')?.amount, '0.00');
    assert.equal(after.lines.find((l) => l.type === 'duty')?.amount, '3.00');
    const replay = replayRevenue(input, before, '2025-03-14T09:00:00Z', ctx);
    assert.deepEqual([replay.identical, replay.differences], [true, []]);
  });

  it('names what differs when the recorded assessment does not match the replay', () => {
    const input = parcel({ items: [item('100.00')], ioss: IOSS });
    const recorded = {
      ...assessRevenue(input, ctx, '2025-03-14T09:00:00Z'),
      total: '1.00',
      versions: { profile: 'eu@old' },
    };
    const replay = replayRevenue(input, recorded, '2025-03-14T09:00:00Z', ctx);
    assert.equal(replay.identical, false);
    assert.ok(replay.differences.includes('total'));
    assert.ok(replay.differences.some((d) => d.startsWith('reference data changed')));
  });
});

describe('what-if simulation', () => {
  it('parses settings and rejects a pointer that is not in the profile', () => {
    assert.deepEqual(parsePolicySetting('eu:/regimes/1/flatDuty/amount="5"'), {
      profile: 'eu',
      pointer: '/regimes/1/flatDuty/amount',
      value: '5',
    });
    assert.throws(() => parsePolicySetting('eu/regimes'), RangeError);
    assert.throws(() => applySettings({ a: 1 }, [{ profile: 'eu', pointer: '/b/c', value: 1 }]), RangeError);
  });

  it('reports the revenue and workload difference of raising the flat duty from 3 to 5 per subheading', () => {
    const edited = applySettings(readProfileJson('eu.json'), [
      parsePolicySetting('eu:/regimes/1/flatDuty/amount="5"'),
    ]);
    const proposed = withProfiles(ctx, [compileProfileJson(edited, 'proposed eu')]);
    const at = '2026-08-01T10:00:00Z';
    const traffic = [
      { input: parcel({ items: [item('20.00', '610910'), item('10.00', '640399')] }), at },
      { input: parcel({ items: [item('200.00', '610910')] }), at },
      { input: parcel({ items: [item('10.00', '610910')], arrival: '2026-08-02T08:00:00Z' }), at },
    ];
    const rows = simulate(traffic, ctx, proposed);
    // Day 1: two subheadings x 2.00 more, VAT 19% of 4.00 = 0.76 more; the 200.00 parcel pays the tariff either way.
    assert.deepEqual(
      rows.map((r) => [
        r.day,
        r.currency,
        r.consignments,
        r.difference,
        r.baselineBorderCollections,
        r.proposedBorderCollections,
      ]),
      [
        ['2026-08-01', 'EUR', 2, '4.76', 2, 2],
        ['2026-08-02', 'EUR', 1, '2.38', 1, 1],
      ],
    );
    assert.match(renderSimulationSvg(rows, 'EUR'), /^<svg[\s\S]*2026-08-01 proposed/);
  });
});
