import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FormatRegistry } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ConsignmentInput } from '../domain/index.js';
import { loadHs2022 } from '../reference/index.js';
import { CATALOGUE } from './catalogue.js';
import { floodSummary, generateFlood, type FloodRecord } from './index.js';
import { isValidAwb, isValidS10 } from './identifiers.js';
import { demoWatchlist, formatAddressLine } from './parties.js';
import { BRANDED_PRODUCTS, HS_DECOYS, PROHIBITED_PRODUCTS, VAGUE_DESCRIPTIONS } from './special-goods.js';

if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set(
    'date-time',
    (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  );
}

const DAY = '2025-03-10';
const FX: Record<string, number> = { EUR: 1, USD: 1.08, GBP: 0.85, CNY: 7.8 };
const records: FloodRecord[] = [...generateFlood({ seed: 'test', count: 20000, day: DAY })];
const primaries = records.filter((r) => r.input.source !== 'platform-order');
const eur = (r: FloodRecord): number => {
  const v = r.input.totals?.declaredValue;
  return v === undefined ? NaN : Number(v.amount) / (FX[v.currency] ?? NaN);
};
const ndjson = (opts: Parameters<typeof generateFlood>[0]): string =>
  [...generateFlood(opts)].map((r) => JSON.stringify(r)).join('\n');

// The catalogue template an item was made from, by its HS code and description pattern.
const patterns = CATALOGUE.flatMap((t) =>
  t.patterns.map((p) => ({
    t,
    re: new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[cmszv]\}/g, '.+')}$`),
  })),
);
const templateOf = (hs: string | undefined, description: string) =>
  patterns.find((x) => x.t.hs === hs && x.re.test(description))?.t;

describe('synthetic flood', () => {
  it('produces byte-identical output for the same seed and different output for another seed', () => {
    const a = ndjson({ seed: 11, count: 800, day: DAY });
    assert.equal(a, ndjson({ seed: 11, count: 800, day: DAY }));
    assert.notEqual(a, ndjson({ seed: 12, count: 800, day: DAY }));
  });

  it('generates exactly `count` parcels, each with a unique ref, and one or two records per parcel', () => {
    const summary = floodSummary(records);
    assert.equal(summary.parcels, 20000);
    assert.equal(primaries.length, 20000);
    assert.equal(new Set(primaries.map((r) => r.label.ref)).size, 20000);
    for (const n of [0, 1, 2, 3, 7]) {
      assert.equal(
        new Set([...generateFlood({ seed: n, count: n, day: DAY })].map((r) => r.label.ref)).size,
        n,
      );
    }
  });

  it('emits records that pass the canonical ConsignmentInput schema', () => {
    const check = TypeCompiler.Compile(ConsignmentInput);
    for (const r of records) {
      if (!check.Check(r.input)) assert.fail(JSON.stringify([...check.Errors(r.input)].slice(0, 3)));
      assert.equal(r.input.externalRef, r.label.ref);
      assert.equal(r.input.source, r.label.source);
    }
  });

  it('classifies every item with a valid HS 2022 subheading when it gives one', () => {
    const hs = loadHs2022();
    for (const r of records)
      for (const item of r.input.items)
        if (item.hsCode) assert.ok(hs.isValidSubheading(item.hsCode), item.hsCode);
  });

  it('gives postal items S10 ids with correct check digits and express parcels valid air waybills', () => {
    for (const r of primaries) {
      const doc = r.input.transportDocument;
      assert.ok(doc !== undefined);
      assert.equal(r.label.parcel, doc.id);
      if (r.input.source === 'postal-item') {
        assert.equal(doc.type, 'S10');
        assert.ok(isValidS10(doc.id), doc.id);
        assert.ok(doc.id.endsWith(r.input.routing.dispatchCountry));
      } else {
        assert.equal(doc.type, 'AWB');
        assert.ok(isValidAwb(doc.id), doc.id);
      }
    }
  });

  it('injects violations into about the requested share of parcels', () => {
    assert.ok(Math.abs(floodSummary(records).violationShare - 0.06) < 0.01);
    const heavy = floodSummary(generateFlood({ seed: 'heavy', count: 8000, day: DAY, violationRate: 0.2 }));
    assert.ok(Math.abs(heavy.violationShare - 0.2) < 0.025, String(heavy.violationShare));
    const none = floodSummary(generateFlood({ seed: 'none', count: 3000, day: DAY, violationRate: 0 }));
    assert.equal(none.violatingParcels, 0);
    for (const count of Object.values(floodSummary(records).violations)) assert.ok(count > 0);
  });

  it('links overlapping source records by ref, with a platform order for the same transport document', () => {
    const byRef = new Map<string, FloodRecord[]>();
    for (const r of records) byRef.set(r.label.ref, [...(byRef.get(r.label.ref) ?? []), r]);
    let overlapping = 0;
    for (const group of byRef.values()) {
      if (group.length === 1) continue;
      overlapping++;
      assert.equal(group.length, 2);
      const [a, b] = group;
      assert.ok(a && b);
      assert.notEqual(a.label.source, b.label.source);
      assert.ok([a, b].some((r) => r.input.source === 'platform-order'));
      assert.equal(a.input.transportDocument?.id, b.input.transportDocument?.id);
      assert.equal(a.input.platform?.orderId, b.input.platform?.orderId);
      assert.deepEqual(a.label.violations, b.label.violations);
      const order = a.input.source === 'platform-order' ? a : b;
      const declared = order === a ? b : a;
      if (eur(declared) < eur(order)) assert.ok(declared.label.violations.includes('undervaluation'));
    }
    assert.ok(Math.abs(overlapping / 20000 - 0.3) < 0.03, String(overlapping));
  });

  it('builds split shipments of 3-5 parcels to one consignee from one seller, each under EUR 150, together above', () => {
    const groups = new Map<string, FloodRecord[]>();
    for (const r of primaries) {
      if (r.label.violations.includes('split-shipment')) {
        assert.ok(r.label.splitGroup);
        groups.set(r.label.splitGroup, [...(groups.get(r.label.splitGroup) ?? []), r]);
      }
    }
    assert.ok(groups.size > 10);
    for (const group of groups.values()) {
      assert.ok(group.length >= 3 && group.length <= 5);
      const first = group[0];
      assert.ok(first);
      for (const r of group) {
        assert.ok(eur(r) < 150);
        assert.equal(r.input.consignee?.name, first.input.consignee?.name);
        assert.equal(
          formatAddressLine(r.input.consignee!.address),
          formatAddressLine(first.input.consignee!.address),
        );
        assert.equal(r.input.seller?.name, first.input.seller?.name);
      }
      assert.ok(group.reduce((s, r) => s + eur(r), 0) > 150);
    }
  });

  it('fills the parts of a split shipment with goods at their market price, several units where they are cheap', () => {
    const ratios: number[] = [];
    let multi = 0;
    for (const r of primaries.filter((x) => x.label.violations.includes('split-shipment'))) {
      const item = r.input.items[0];
      assert.ok(item !== undefined && r.input.items.length === 1);
      const t = templateOf(item.hsCode, item.description);
      assert.ok(t !== undefined, item.description);
      ratios.push(Number(item.value.amount) / item.quantity / t.medianEur);
      if (item.quantity > 1) multi++;
    }
    ratios.sort((a, b) => a - b);
    // Unit prices scatter around the product's median as clean ones do (not EUR 55-150 for a EUR 32 item).
    const mid = ratios[Math.floor(ratios.length / 2)] ?? 0;
    assert.ok(mid > 0.7 && mid < 1.4, `median unit price / catalogue median: ${mid}`);
    assert.ok(multi > ratios.length / 4, `${multi} of ${ratios.length} parts hold several units`);
  });

  it("draws a violation's product with the product's share of orders, as clean parcels do", () => {
    // Undervaluation and split shipments take middle-priced goods: jackets and smartwatches (14 + 14 of
    // the orders) far more often than brake discs, tents and automatic watches (2 + 3 + 3).
    const dense = [...generateFlood({ seed: 'mix', count: 8000, day: DAY, violationRate: 0.5 })];
    const count = (keys: readonly string[]): number =>
      dense.filter(
        (r) =>
          r.input.source !== 'platform-order' &&
          r.label.violations.some((v) => v === 'split-shipment' || v === 'undervaluation') &&
          r.input.items.some((i) => keys.includes(templateOf(i.hsCode, i.description)?.key ?? '')),
      ).length;
    const common = count(['jacket', 'smartwatch']);
    const rare = count(['car-brakes', 'camping', 'automatic-watch']);
    assert.ok(common > 2 * rare, `common ${common}, rare ${rare}`);
  });

  it('hugs the EUR 150 threshold with laptops, drones, robot vacuums and gold jewellery, as documented', () => {
    const dense = [...generateFlood({ seed: 'hug', count: 8000, day: DAY, violationRate: 0.5 })];
    const hugged = new Map<string, number>();
    for (const r of dense) {
      const item = r.input.items[0];
      if (r.input.source === 'platform-order' || !r.label.violations.includes('undervaluation')) continue;
      if (item === undefined || r.input.items.length !== 1 || item.value.currency !== 'EUR') continue;
      const v = Number(item.value.amount);
      if (v < 135 || v >= 150) continue;
      const key = templateOf(item.hsCode, item.description)?.key ?? '';
      hugged.set(key, (hugged.get(key) ?? 0) + 1);
    }
    for (const key of ['laptop', 'drone', 'robot-vacuum', 'gold-jewellery'])
      assert.ok((hugged.get(key) ?? 0) >= 10, `${key}: ${JSON.stringify([...hugged])}`);
  });

  it('prices most parcels between EUR 5 and 60 with a thin tail above EUR 150', () => {
    const values = primaries.map(eur).sort((a, b) => a - b);
    const median = values[Math.floor(values.length / 2)] ?? 0;
    assert.ok(median > 10 && median < 30, `median ${median}`);
    const above = values.filter((v) => v > 150).length / values.length;
    assert.ok(above > 0.02 && above < 0.08, `above 150: ${above}`);
    const mid = values.filter((v) => v >= 5 && v <= 60).length / values.length;
    assert.ok(mid > 0.6, `5-60: ${mid}`);
    const foreign = primaries.filter((r) => r.input.totals?.declaredValue?.currency !== 'EUR').length;
    assert.ok(Math.abs(foreign / primaries.length - 0.1) < 0.03);
  });

  it('sends about nine in ten parcels from China (or Hong Kong) into the EU-27', () => {
    const cn = primaries.filter((r) => ['CN', 'HK'].includes(r.input.routing.dispatchCountry)).length;
    assert.ok(Math.abs(cn / primaries.length - 0.92) < 0.03, String(cn / primaries.length));
    const destinations = new Set(primaries.map((r) => r.input.routing.destinationCountry));
    assert.equal(destinations.size, 27);
  });

  it('keeps clean parcels clean: no watchlisted consignee, vague word, gift on a sale, prohibited good or cheap brand', () => {
    const watch = demoWatchlist();
    const prohibited = new Set(PROHIBITED_PRODUCTS.map((p) => p.hs));
    for (const r of primaries.filter((x) => x.label.violations.length === 0)) {
      const c = r.input.consignee!;
      assert.ok(!watch.consignees.includes(c.name));
      assert.ok(!watch.addresses.includes(formatAddressLine(c.address)));
      assert.ok(!(r.input.category === 'gift' && r.input.platform !== undefined));
      for (const item of r.input.items) {
        assert.ok(!VAGUE_DESCRIPTIONS.includes(item.description));
        assert.ok(!prohibited.has(item.hsCode ?? ''));
        assert.ok(!HS_DECOYS.includes(item.hsCode ?? '') || !/shirt|dress|shoe|bag/i.test(item.description));
        const branded = BRANDED_PRODUCTS.find((b) => b.description === item.description);
        if (branded)
          assert.ok(Number(item.value.amount) / (FX[item.value.currency] ?? 1) > branded.genuineEur * 0.7);
      }
    }
  });

  it('labels each injected parcel with evidence a detector could find', () => {
    const watch = demoWatchlist();
    const prohibited = new Set(PROHIBITED_PRODUCTS.map((p) => p.hs));
    for (const r of primaries) {
      const v = r.label.violations;
      const items = r.input.items;
      if (v.includes('prohibited')) assert.ok(items.some((i) => prohibited.has(i.hsCode ?? '')));
      if (v.includes('counterfeit'))
        assert.ok(items.some((i) => BRANDED_PRODUCTS.some((b) => b.description === i.description)));
      if (v.includes('misdescribed-hs')) assert.ok(items.some((i) => HS_DECOYS.includes(i.hsCode ?? '')));
      if (v.includes('vague-description'))
        assert.ok(items.some((i) => VAGUE_DESCRIPTIONS.includes(i.description)));
      if (v.includes('gift-misuse')) assert.ok(r.input.category === 'gift' && r.input.platform?.orderId);
      if (v.includes('watchlisted-consignee')) {
        const c = r.input.consignee!;
        assert.ok(
          watch.consignees.includes(c.name) || watch.addresses.includes(formatAddressLine(c.address)),
        );
      }
    }
  });

  it('declares a clean private gift at the value of its item, and labels a gift declared far below it', () => {
    const gifts = primaries.filter((r) => r.input.category === 'gift' && r.input.platform === undefined);
    const clean = gifts.filter((r) => r.label.violations.length === 0);
    assert.ok(clean.length > 100, String(clean.length));
    // Whole units, as a private sender writes them; not capped at the EUR 45 relief.
    for (const r of clean) assert.match(r.input.items[0]?.value.amount ?? '', /^\d+\.00$/);
    const above = clean.filter((r) => eur(r) > 45).length / clean.length;
    assert.ok(above > 0.03 && above < 0.4, String(above));
    // Gift-relief abuse: an item worth twice the relief or more, declared within it.
    const heavy = [...generateFlood({ seed: 'gifts', count: 6000, day: DAY, violationRate: 0.5 })];
    const abused = heavy.filter(
      (r) =>
        r.input.category === 'gift' &&
        r.input.platform === undefined &&
        r.label.violations.includes('undervaluation'),
    );
    assert.ok(abused.length > 0);
    for (const r of abused) {
      assert.ok(eur(r) >= 20 && eur(r) <= 45, String(eur(r)));
      assert.equal(r.input.items.length, 1);
    }
  });

  it('dates acceptance 2-6 days before the arrival day and expects arrival on that day', () => {
    const dayStart = Date.parse(`${DAY}T00:00:00Z`);
    for (const r of primaries) {
      const accepted = Date.parse(r.input.dates?.accepted ?? '');
      assert.ok(accepted >= dayStart - 6 * 86400000 - 1000 && accepted <= dayStart - 2 * 86400000 + 1000);
      assert.equal(r.input.dates?.expectedArrival?.slice(0, 10), DAY);
    }
  });

  it('puts IOSS numbers only on parcels of at most EUR 150 sold through a platform', () => {
    let withIoss = 0;
    for (const r of primaries) {
      const tax = r.input.taxCollection;
      if (tax === undefined) continue;
      withIoss++;
      assert.match(tax.number, /^IM\d{10}$/);
      assert.ok(r.input.platform !== undefined && eur(r) <= 150.01);
      assert.deepEqual(r.input.additionalProcedureCodes, ['F48']);
    }
    assert.ok(withIoss / primaries.length > 0.45 && withIoss / primaries.length < 0.7);
  });

  it('honours a destinations list, watchlisted parcels included', () => {
    const only = [
      ...generateFlood({ seed: 3, count: 2000, day: DAY, destinations: ['DE', 'FR'], violationRate: 0.3 }),
    ];
    for (const r of only) assert.ok(['DE', 'FR'].includes(r.input.routing.destinationCountry));
  });

  it('rejects impossible options', () => {
    assert.throws(() => [...generateFlood({ seed: 1, count: -1, day: DAY })], RangeError);
    assert.throws(() => [...generateFlood({ seed: 1, count: 1, day: '2025-02-30' })], RangeError);
    assert.throws(() => [...generateFlood({ seed: 1, count: 1, day: DAY, violationRate: 2 })], RangeError);
    assert.throws(
      () => [...generateFlood({ seed: 1, count: 1, day: DAY, destinations: ['germany'] })],
      RangeError,
    );
  });
});
