import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  detectionErrors,
  evaluateDetection,
  renderDetectionErrors,
  renderDetectionReport,
} from './detection.js';
import { assessUndervaluation, learnReferencePrices } from './reference-prices.js';
import { buildRuleIndex } from './rule-index.js';
import { renderRulesReport, rulesReport, scenarioTest } from './rules-report.js';
import { runScenarioFile } from './scenario-file.js';
import { inMemoryHistory, splitShipmentIndicator } from './split-shipment.js';
import { cleanConsignment, cleanItem, compiled, rule } from './test-fixtures.js';
import { loadDefaultRuleSet, rulesPath } from './default-rule-set.js';
import { readFileSync } from 'node:fs';

test('detection inspects the top share plus the random sample and scores recall per type', () => {
  const parcels = Array.from({ length: 100 }, (_, i) => ({
    ref: `r${i}`,
    score: 100 - i,
    lane: 'green',
    randomSelected: i === 99,
  }));
  const labels = [
    { ref: 'r0', violations: ['counterfeit'] },
    { ref: 'r50', violations: ['undervaluation'] },
    { ref: 'r99', violations: ['undervaluation'] },
  ];
  const r = evaluateDetection(parcels, labels, 0.05);
  assert.equal(r.inspected, 6);
  assert.equal(r.overall.caught, 2);
  assert.equal(r.byType.find((t) => t.type === 'undervaluation')?.recall, 0.5);
  assert.equal(r.randomHitRate, 1);
  assert.match(renderDetectionReport(r), /overall/);
});

test('detection errors list the clean parcels targeted and the violating parcels nobody inspected', () => {
  const parcels = Array.from({ length: 100 }, (_, i) => ({
    ref: `r${i}`,
    score: 100 - i,
    lane: 'green',
    randomSelected: i === 99,
    hits: i < 10 ? [`R-${i % 2}:${100 - i}`] : [],
  }));
  const labels = [
    { ref: 'r0', violations: ['counterfeit'] },
    { ref: 'r50', violations: ['undervaluation'] },
    { ref: 'r99', violations: ['undervaluation'] },
  ];
  const e = detectionErrors(parcels, labels, 0.05);
  // Targeted r0..r4: r1..r4 are clean; r50 is missed; r99 was found by the random sample.
  assert.deepEqual(
    e.falsePositives.map((x) => x.ref),
    ['r1', 'r2', 'r3', 'r4'],
  );
  assert.deepEqual(
    e.missed.map((x) => [x.ref, x.violations]),
    [['r50', ['undervaluation']]],
  );
  assert.equal(e.scoreCutoff, 96);
  const text = renderDetectionErrors(e, 1);
  assert.match(text, /^False positives: 4 clean parcels among the targeted$/m);
  assert.match(text, /^ {6}2 {2}R-0$/m);
  assert.match(text, /^ {2}undervaluation: 1 \(score 1-95: 1\)$/m);
  const r = evaluateDetection(parcels, labels, 0.05);
  assert.equal(e.missed.length, r.violating - r.overall.caught);
});

test('reference prices need minimum support and flag a unit value far below the median', () => {
  const history = Array.from({ length: 40 }, (_, i) => ({
    input: cleanConsignment({
      items: [cleanItem({ value: { amount: (20 + (i % 10)).toFixed(2), currency: 'EUR' } })],
    }),
    intrinsicValueEur: null,
  }));
  const table = learnReferencePrices(history, { minSupport: 30 });
  assert.ok(table.prices['610910']);
  assert.equal(Object.keys(learnReferencePrices(history, { minSupport: 41 }).prices).length, 0);
  const cheap = cleanConsignment({ items: [cleanItem({ value: { amount: '2.00', currency: 'EUR' } })] });
  assert.ok(assessUndervaluation(cheap, '2.00', JSON.parse(JSON.stringify(table))).score > 0.5);
  assert.equal(assessUndervaluation(cleanConsignment(), '25.00', table).score, 0);
});

test('split shipments score sub-threshold parcels from one seller that exceed the threshold together', () => {
  const at = '2026-11-27T10:00:00Z';
  const history = inMemoryHistory(
    ['a', 'b', 'c'].map((ref) => ({ key: 'k', parcel: { value: '90.00', at, seller: 's', ref } })),
  );
  const r = splitShipmentIndicator({ key: 'k', ref: 'a', valueEur: '90.00', at, seller: 's' }, history);
  assert.equal(r.score, 0.75);
  const other = splitShipmentIndicator({ key: 'k', ref: 'x', valueEur: '90.00', at, seller: 'z' }, history);
  assert.equal(other.score, 0);
});

test('indexed evaluation selects every rule that a full scan would fire, bounds on computed numbers included', () => {
  const texts = [
    'items.any(hsCode hsIn ["6109"]) and routing.dispatchCountry == "CN"',
    'category == "gift"',
    'routing.dispatchCountry in ["HK", "TR"]',
    'intrinsicValueEur > 10',
    'items.any(hsCode hsIn ["61", "8517"] and quantity > 1)',
    'items.any(hsCode hsIn ["6109"]) and intrinsicValueEur >= 25.5 and routing.dispatchCountry == "CN"',
    'intrinsicValueEur <= 150 and category == "gift" and sourceCount < 2',
    // More digits than a double holds: compared as the exact decimal text, in the index as in the rule.
    'items.any(hsCode hsIn ["8517"]) and intrinsicValueEur < 10.000000000000000000001',
    'mismatchCount >= 1 or intrinsicValueEur > 1000',
  ];
  const set = compiled(texts.map((when, i) => rule({ id: `I${i}`, when })));
  const index = buildRuleIndex(texts);
  assert.equal(index.bounded, 4);
  fc.assert(
    fc.property(
      fc.constantFrom('sale', 'gift'),
      fc.constantFrom('CN', 'HK', 'US'),
      fc.array(fc.constantFrom('610910', '851762', '620342', '490199'), { minLength: 1, maxLength: 3 }),
      fc.constantFrom(
        null,
        '0',
        '9.99',
        '10',
        '10.00',
        '10.0000000000000000000005',
        '10.01',
        '25.49',
        '25.5',
        '150',
        '150.01',
        '2000',
      ),
      fc.constantFrom<('declaration' | 'postal-item')[]>([], ['declaration'], ['declaration', 'postal-item']),
      (category, dispatch, codes, value, sourceKinds) => {
        const c = cleanConsignment({
          category: category as 'sale',
          routing: { dispatchCountry: dispatch, destinationCountry: 'DE' },
          items: codes.map((hsCode) => cleanItem({ hsCode, quantity: 2 })),
        });
        const computed = { intrinsicValueEur: value, sourceCount: sourceKinds.length, mismatchCount: 0 };
        const unbounded = new Set(index.candidates(c));
        const picked = new Set(index.candidates(c, computed));
        set.rules.forEach((r, i) => {
          const scanFires = scenarioTest(set, [
            { name: 'x', input: c, intrinsicValueEur: value, sourceKinds, expect: { fires: [r.id] } },
          ])[0]?.passed;
          if (scanFires) assert.ok(picked.has(i), `${r.id} fires but was not a candidate`);
          if (picked.has(i)) assert.ok(unbounded.has(i), `${r.id} is a candidate only with its bounds`);
        });
      },
    ),
    { numRuns: 300 },
  );
});

test('a rule whose bound the consignment falls outside is not a candidate', () => {
  const texts = [
    'items.any(hsCode hsIn ["6109"]) and intrinsicValueEur > 150',
    'items.any(hsCode hsIn ["6109"]) and intrinsicValueEur <= 150',
    'items.any(hsCode hsIn ["6109"]) and sourceCount >= 2',
    'items.any(hsCode hsIn ["6109"])',
  ];
  const index = buildRuleIndex(texts);
  const c = cleanConsignment({ items: [cleanItem({ hsCode: '610910' })] });
  const at = (intrinsicValueEur: string | null, sourceCount = 1) =>
    index.candidates(c, { intrinsicValueEur, sourceCount, mismatchCount: 0 });
  assert.deepEqual(index.candidates(c), [0, 1, 2, 3]);
  assert.deepEqual(at('150.01'), [0, 3]);
  assert.deepEqual(at('150.00'), [1, 3]);
  assert.deepEqual(at('150', 2), [1, 2, 3]);
  // No value: no comparison holds, as in the compiled rule.
  assert.deepEqual(at(null), [3]);
});

test('the rules report counts selections and hits per rule and flags rules that never hit', () => {
  const r = rulesReport(
    [
      { ruleIds: ['A', 'B'], finding: 'counterfeit' },
      { ruleIds: ['A'], finding: 'nothing-found' },
      { ruleIds: ['B'], finding: 'undervalued' },
    ],
    ['A', 'B', 'C'],
  );
  assert.deepEqual(
    r.rules.find((s) => s.id === 'A'),
    {
      id: 'A',
      selections: 2,
      hits: 1,
      hitRate: 0.5,
      lift: null,
      findings: { counterfeit: 1 },
      neverHit: false,
    },
  );
  assert.deepEqual(r.neverHit, ['C']);
  assert.match(renderRulesReport(r), /never hit/);
  // A rule no inspection followed has no precision yet (not 0 %).
  assert.match(renderRulesReport(rulesReport([], ['Z'])), /^Z +0 +0 +- +- +never hit$/m);
});

test('the shipped scenario file passes against the default rule set', () => {
  const results = runScenarioFile(
    loadDefaultRuleSet(),
    JSON.parse(readFileSync(rulesPath('eu-default.scenarios.json'), 'utf8')),
  );
  assert.ok(results.length >= 5);
  for (const r of results) assert.ok(r.passed, `${r.name}: ${r.problems.join('; ')}`);
});
