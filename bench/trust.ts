/**
 * Operator trust overhead: assessing a flood with the registry overlay (a trust index of 10,000
 * operators, a fifth of them AEO, every parcel's seller registered) against the same snapshot
 * without it, in the same process. Reported as a ratio; also the share of red lanes either way.
 */
import { assess, groupParcels, loadSnapshot } from '../src/clearance/index.js';
import {
  buildTrustIndex,
  grantStatus,
  withRegistry,
  type Operator,
  type TrustStatus,
} from '../src/operators/index.js';
import { generateFlood } from '../src/sim/index.js';

/** Runs the trust bench on `count` parcels. */
export function benchTrust(count: number, say: (line: string) => void): void {
  const now = '2026-11-27T12:00:00.000Z';
  const base = loadSnapshot({ randomRate: 0.05 });
  const parcels = groupParcels(generateFlood({ seed: 'trust', count, day: '2026-11-27' }), base, now);
  const sellers = new Set<string>();
  for (const p of parcels)
    if (p.merged.platform?.sellerId) sellers.add(`${p.merged.platform.id}/${p.merged.platform.sellerId}`);
  const operators: Operator[] = [];
  const statuses: TrustStatus[] = [];
  let i = 0;
  for (const key of [...sellers].slice(0, 10_000)) {
    const id = `opr_s${i}`;
    operators.push({
      id,
      kind: 'seller',
      name: key,
      country: 'CN',
      identifiers: [{ scheme: 'PLATFORM-SELLER', value: key }],
      contacts: [],
      registeredAt: now,
      updatedAt: now,
      version: 1,
    });
    if (i % 5 === 0)
      statuses.push(
        grantStatus(
          `sts_${i}`,
          id,
          { level: 'AEOF', issuer: 'DE', validFrom: '2026-01-01T00:00:00Z', validTo: '2029-01-01T00:00:00Z' },
          'bench',
          now,
        ),
      );
    i++;
  }
  const t0 = performance.now();
  const trust = buildTrustIndex({ operators, statuses, scores: new Map(), confirmedCases: new Map() });
  const buildMs = performance.now() - t0;
  const withTrust = withRegistry(base, { trust });
  const run = (snap: typeof base) => {
    let red = 0;
    const start = performance.now();
    for (const p of parcels) {
      const a = assess(
        {
          consignmentId: `csg_${p.ref}`,
          input: p.merged,
          mismatches: p.mismatches,
          sourceKinds: p.sourceKinds,
        },
        snap,
        now,
      );
      if (a.risk.lane === 'red') red++;
    }
    return { ms: performance.now() - start, red };
  };
  run(base);
  run(withTrust);
  // Alternate and keep the best of three each: the machine is shared.
  const best = (snap: typeof base) => [run(snap), run(snap), run(snap)].sort((a, b) => a.ms - b.ms)[0]!;
  const plain = best(base);
  const trusted = best(withTrust);
  say(
    `operator trust: ${parcels.length} parcels, ${operators.length} registered sellers (${statuses.length} AEO), index built in ${buildMs.toFixed(0)} ms`,
  );
  say(
    `  assess without trust ${(parcels.length / (plain.ms / 1000)).toFixed(0)}/s, with trust ${(parcels.length / (trusted.ms / 1000)).toFixed(0)}/s: ratio ${(trusted.ms / plain.ms).toFixed(2)}`,
  );
  say(`  red lanes without trust ${plain.red}, with trust ${trusted.red}`);
}
