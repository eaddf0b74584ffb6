/** Which records of a batch may add a contributor row: those joining another submitter's consignment. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { contributorPairs } from './contributors.js';
import type { BatchWrites } from './port.js';
import { fixtureConsignment, fixtureSource } from './testing/fixtures.js';

const who = fc.constantFrom('opr_a', 'opr_b', 'opr_c');

test('contributor pairs are exactly the records whose submitter is not their consignment’s creator', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ creator: who, records: fc.array(who, { maxLength: 3 }) }), { maxLength: 8 }),
      fc.array(fc.record({ creator: who, records: fc.array(who, { minLength: 1, maxLength: 3 }) }), {
        maxLength: 4,
      }),
      (upserted, freshly) => {
        const upserts = upserted.map((u) => fixtureConsignment({ submitterId: u.creator }));
        const declarations = upserted.flatMap((u, i) =>
          u.records.map((r) => ({
            consignmentId: upserts[i]!.id,
            record: fixtureSource(upserts[i]!.merged, r, '2025-01-01T00:00:00.000Z'),
          })),
        );
        const fresh = freshly.map((f) => {
          const c = fixtureConsignment({ submitterId: f.creator });
          return {
            ...c,
            doc: '{}',
            lane: 'green' as const,
            decision: 'release' as const,
            riskScore: 0,
            destination: 'DE',
            office: null,
            dueAtBorder: '0',
            currency: 'EUR',
            archive: [],
            events: [],
            declarations: f.records.map((r, i) => ({
              declarationId: `dcl_${i}`,
              kind: 'postal-item' as const,
              submitterId: r,
              receivedAt: c.createdAt,
              hash: 'h',
              json: '{}',
            })),
          };
        });
        const writes: BatchWrites = { upserts, archive: [], declarations, events: [], fresh };
        const expected = [
          ...fresh.flatMap((c, i) =>
            freshly[i]!.records.filter((r) => r !== c.submitterId).map((r) => `${r} ${c.id}`),
          ),
          ...declarations
            .filter(
              (d) => upserts.find((c) => c.id === d.consignmentId)!.submitterId !== d.record.submitterId,
            )
            .map((d) => `${d.record.submitterId} ${d.consignmentId}`),
        ];
        assert.deepEqual(
          contributorPairs(writes).map(([s, id]) => `${s} ${id}`),
          expected,
        );
      },
    ),
    { numRuns: 300 },
  );
});
