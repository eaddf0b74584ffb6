import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSelector, scoreQuantile, type SelectorState } from './selector.js';
import { controlDraw } from './random-control.js';

function day(n: number, seed: string): { score: number; lane: string; draw: number }[] {
  return Array.from({ length: n }, (_, i) => {
    const u = controlDraw(seed, `p${i}`);
    const score = Math.round(100 * controlDraw(`${seed}-s`, `p${i}`) ** 6);
    return { score, lane: score >= 70 ? 'red' : 'green', draw: u };
  });
}

function run(n: number): { state: SelectorState; scores: number[]; random: number } {
  const sel = createSelector({
    capacityPerOfficeDay: { FRA: 100 },
    expectedVolumePerOfficeDay: { FRA: 2000 },
    randomRate: 0.01,
    explorationRate: 0.005,
  });
  let state = sel.initialState('FRA', '2026-11-27');
  const scores: number[] = [];
  let random = 0;
  for (const c of day(n, 'flood')) {
    const s = sel.select(state, c);
    state = s.state;
    if (s.inspect && s.reason === 'targeted') scores.push(c.score);
    if (s.reason === 'random') random++;
  }
  return { state, scores, random };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

test('doubling the flood keeps inspections within capacity and raises the mean risk of the selected', () => {
  const normal = run(2000);
  const doubled = run(4000);
  for (const r of [normal, doubled])
    assert.ok(r.state.targeted + r.state.random + r.state.exploration <= 100);
  assert.ok(mean(doubled.scores) >= mean(normal.scores));
  assert.ok(doubled.random > 0, 'the random control sample is always kept');
});

test('the score quantile leaves at most the given share at or above it', () => {
  const h = new Array<number>(101).fill(0);
  for (let s = 0; s <= 99; s++) h[s] = 1;
  assert.equal(scoreQuantile(h, 0.1), 90);
  assert.equal(scoreQuantile(h, 0), 100);
});

test('the previous day closing quantile seeds the next day threshold', () => {
  const sel = createSelector({ capacityPerOfficeDay: 10, randomRate: 0, explorationRate: 0 });
  const { state } = run(500);
  const next = sel.initialState('FRA', '2026-11-28', state);
  assert.notEqual(next.carriedThreshold, null);
  assert.equal(next.seen, 0);
});

test('when the flood doubles, a day paced by the clock still takes the riskiest, not the first to arrive', () => {
  const sel = createSelector({
    capacityPerOfficeDay: { FRA: 100 },
    expectedVolumePerOfficeDay: { FRA: 2000 },
    randomRate: 0.01,
    explorationRate: 0.005,
  });
  const n = 4000;
  const parcels = day(n, 'flood');
  let state = sel.initialState('FRA', '2026-11-27');
  const picked: number[] = [];
  let riskyMissed = 0;
  let used = 0;
  // Arrivals spread evenly over the day: parcel i arrives at i/n of it.
  parcels.forEach((c, i) => {
    const s = sel.select(state, { ...c, dayShare: i / n });
    state = s.state;
    if (s.inspect) used++;
    if (s.reason === 'targeted') picked.push(c.score);
    if (s.reason === 'over-capacity' && c.score >= 95) riskyMissed++;
  });
  assert.ok(used <= 100, `${used} inspections`);
  const top = parcels
    .map((c) => c.score)
    .sort((a, b) => b - a)
    .slice(0, picked.length);
  assert.ok(picked.length >= 20, `${picked.length} targeted`);
  assert.ok(mean(picked) >= mean(top) - 2, `targeted mean ${mean(picked)} vs the top ${mean(top)}`);
  assert.ok(riskyMissed <= 5, `${riskyMissed} parcels scored 95+ found the day's inspections used up`);
});
