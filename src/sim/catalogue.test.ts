import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadHs2022 } from '../reference/index.js';
import { CATALOGUE, parseTemplate } from './catalogue.js';
import {
  BRANDED_PRODUCTS,
  HS_DECOYS,
  PROHIBITED_PRODUCTS,
  PROTECTED_BRANDS,
  VAGUE_DESCRIPTIONS,
} from './special-goods.js';

describe('product catalogue', () => {
  const hs = loadHs2022();

  it('holds between 60 and 100 everyday templates with unique keys', () => {
    assert.ok(CATALOGUE.length >= 60 && CATALOGUE.length <= 100, String(CATALOGUE.length));
    assert.equal(new Set(CATALOGUE.map((t) => t.key)).size, CATALOGUE.length);
  });

  it('classifies every template, branded, prohibited and decoy product under a valid HS 2022 subheading', () => {
    const codes = [
      ...CATALOGUE.map((t) => t.hs),
      ...BRANDED_PRODUCTS.map((b) => b.hs),
      ...PROHIBITED_PRODUCTS.map((p) => p.hs),
      ...HS_DECOYS,
    ];
    for (const code of codes) assert.ok(hs.isValidSubheading(code) && code.length === 6, code);
  });

  it('never uses a prohibited good or a protected brand in an everyday template', () => {
    const prohibited = new Set(PROHIBITED_PRODUCTS.map((p) => p.hs));
    for (const t of CATALOGUE) {
      assert.ok(!prohibited.has(t.hs), t.key);
      for (const pattern of t.patterns) {
        for (const brand of PROTECTED_BRANDS) assert.ok(!pattern.includes(brand), `${t.key}: ${brand}`);
        assert.ok(!VAGUE_DESCRIPTIONS.includes(pattern), t.key);
      }
    }
  });

  it('prices fakes far below the genuine product', () => {
    for (const b of BRANDED_PRODUCTS) assert.ok(b.fakeEur < b.genuineEur * 0.3, b.description);
  });

  it('rejects a catalogue row with the wrong number of fields', () => {
    assert.throws(() => parseTemplate('tshirt ; 610910 ; pcs'), /12 fields/);
  });
});
