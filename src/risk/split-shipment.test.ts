import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ConsignmentInput } from '../domain/index.js';
import { consigneeKeyOfRecord } from './consignee-cache.js';
import { ConsigneeWindow } from './consignee-window.js';
import {
  consigneeBasis,
  consigneeBasisV1,
  consigneeKey,
  sellerKey,
  splitShipmentIndicator,
} from './split-shipment.js';
import { cleanConsignment, cleanItem } from './test-fixtures.js';

const to = (name: string, street: string | undefined, ref: string): ConsignmentInput =>
  cleanConsignment({
    externalRef: ref,
    consignee: {
      name,
      address: {
        ...(street === undefined ? {} : { street }),
        postcode: '29036',
        city: 'Málaga',
        country: 'ES',
      },
    },
    items: [cleanItem({ value: { amount: '90.00', currency: 'EUR' } })],
  });

test('two people of one name in one postcode at other streets are two consignees: no split shipment', () => {
  const a = to('Paula Rodríguez', 'Calle Larios 12, 3º B', 'a');
  const b = to('Paula Rodríguez', 'Avenida de Andalucía 40', 'b');
  assert.notEqual(consigneeKey(a), consigneeKey(b));
  // Version 1 (without the street) made them one.
  assert.equal(consigneeBasisV1(a), consigneeBasisV1(b));
  const w = new ConsigneeWindow(24);
  w.note('c1', a, '90.00', '2026-11-27T08:00:00.000Z');
  const split = (c: ConsignmentInput, ref: string) =>
    splitShipmentIndicator(
      { key: consigneeKey(c), ref, valueEur: '90.00', at: '2026-11-27T10:00:00.000Z', seller: sellerKey(c) },
      w,
    );
  assert.equal(split(b, 'c2').score, 0, 'another person of the same name: not a split');
  // The same person's second parcel, its address written in other case and punctuation, still links.
  const again = to('RODRIGUEZ, Paula', 'calle larios 12 3º b', 'c');
  assert.equal(consigneeKey(again), consigneeKey(a));
  assert.equal(split(again, 'c3').score, 0.5);
});

test('the consignee key of a raw record is the key of the validated input, street included', () => {
  fc.assert(
    fc.property(
      fc.string({ maxLength: 20 }),
      fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
      (name, street) => {
        const raw = {
          consignee: {
            name,
            address: { ...(street === undefined ? {} : { street }), postcode: '29036', country: 'es' },
          },
        };
        const validated = {
          consignee: {
            name,
            address: { ...(street === undefined ? {} : { street }), postcode: '29036', country: 'ES' },
          },
        } as ConsignmentInput;
        assert.equal(consigneeKeyOfRecord(raw), consigneeKey(validated));
        assert.ok(consigneeBasis(validated)!.split('|').length >= 4);
      },
    ),
  );
});
