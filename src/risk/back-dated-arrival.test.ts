/**
 * A back-dated expected arrival (before the assessment instant) as a risk signal: the rules language
 * already expresses it, no indicator code is needed (docs/revenue.md, "The tax point").
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessRisk } from './assess-risk.js';
import { cleanConsignment, compiled, riskContext, riskInput, rule } from './test-fixtures.js';

test('a rule on dates.expectedArrival < now flags a record that declares an arrival before it was lodged', () => {
  const rules = compiled([
    rule({ id: 'BACKDATED-ARRIVAL', when: 'dates.expectedArrival < now', weight: 25 }),
  ]);
  const ctx = riskContext(rules, { now: '2026-11-30T10:00:00Z' });
  const hit = (expectedArrival: string) =>
    assessRisk(riskInput(cleanConsignment({ dates: { expectedArrival } })), ctx).hits.some(
      (h) => h.id === 'BACKDATED-ARRIVAL',
    );
  assert.equal(hit('2026-06-30T06:00:00Z'), true);
  assert.equal(hit('2026-12-02T06:00:00Z'), false);
  assert.equal(
    assessRisk(riskInput(cleanConsignment()), ctx).hits.some((h) => h.id === 'BACKDATED-ARRIVAL'),
    false,
  );
});
