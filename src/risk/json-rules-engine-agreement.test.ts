import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { assessRisk } from './assess-risk.js';
import { cleanConsignment, cleanItem, compiled, riskContext, riskInput, rule } from './test-fixtures.js';

// The same four rules written in our language and as json-rules-engine conditions.
const ours = compiled([
  rule({ id: 'GIFT-HIGH', when: 'category == "gift" and intrinsicValueEur > 100' }),
  rule({
    id: 'ORIGIN-OR-HEAVY',
    when: 'routing.dispatchCountry in ["CN", "HK"] or totals.grossWeightGrams >= 2000',
  }),
  rule({ id: 'NOT-DE', when: 'consignee.address.country != "DE"' }),
  rule({
    id: 'RANGE',
    when: 'intrinsicValueEur >= 140 and intrinsicValueEur <= 150 and not (category == "documents")',
  }),
]);

function engine(): Engine {
  const e = new Engine([], { allowUndefinedFacts: true });
  const add = (id: string, conditions: object) =>
    e.addRule({ name: id, conditions, event: { type: id } } as never);
  add('GIFT-HIGH', {
    all: [
      { fact: 'category', operator: 'equal', value: 'gift' },
      { fact: 'value', operator: 'greaterThan', value: 100 },
    ],
  });
  add('ORIGIN-OR-HEAVY', {
    any: [
      { fact: 'dispatch', operator: 'in', value: ['CN', 'HK'] },
      { fact: 'gross', operator: 'greaterThanInclusive', value: 2000 },
    ],
  });
  add('NOT-DE', { all: [{ fact: 'country', operator: 'notEqual', value: 'DE' }] });
  add('RANGE', {
    all: [
      { fact: 'value', operator: 'greaterThanInclusive', value: 140 },
      { fact: 'value', operator: 'lessThanInclusive', value: 150 },
      { fact: 'category', operator: 'notEqual', value: 'documents' },
    ],
  });
  return e;
}

const arbitraryCase = fc.record({
  category: fc.constantFrom('sale', 'gift', 'documents', 'returned'),
  cents: fc.integer({ min: 0, max: 30_000 }),
  dispatch: fc.constantFrom('CN', 'HK', 'US', 'TR'),
  gross: fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined }),
  country: fc.constantFrom('DE', 'FR', 'NL'),
});

test('compiled rules fire exactly when json-rules-engine encodings of them do', async () => {
  const e = engine();
  await fc.assert(
    fc.asyncProperty(arbitraryCase, async (k) => {
      const value = (k.cents / 100).toFixed(2);
      const c = cleanConsignment({
        category: k.category as 'sale',
        items: [cleanItem({ value: { amount: value, currency: 'EUR' } })],
        routing: { dispatchCountry: k.dispatch, destinationCountry: k.country },
        consignee: { name: 'A B', address: { country: k.country } },
        totals: k.gross === undefined ? undefined : { grossWeightGrams: k.gross },
      });
      const got = assessRisk(riskInput(c, { intrinsicValueEur: value }), riskContext(ours))
        .hits.map((h) => h.id)
        .sort();
      const facts = {
        category: k.category,
        value: Number(value),
        dispatch: k.dispatch,
        gross: k.gross,
        country: k.country,
      };
      const { events } = await e.run(facts);
      assert.deepEqual(got, events.map((ev) => ev.type).sort());
    }),
    { numRuns: 300 },
  );
});
