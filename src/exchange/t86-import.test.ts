import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ConsignmentInput } from '../domain/index.js';
import { generateFlood } from '../sim/index.js';
import { loadSnapshot } from '../clearance/index.js';
import {
  checkT86File,
  fromEntryType86,
  readT86,
  t86ElementOf,
  toEntryType86,
  type T86Entry,
} from './index.js';

const entry = JSON.parse(
  readFileSync(new URL('../../../docs/formats/samples/t86-entry.json', import.meta.url), 'utf8'),
) as T86Entry;
const snapshot = loadSnapshot({ randomRate: 0 });
const ctx = { submitterId: 'broker-us', now: '2026-11-29T10:00:00Z' };
const paths = (r: { ok: boolean; issues?: { path: string }[] }): string[] =>
  r.ok ? [] : (r.issues ?? []).map((i) => i.path);

/** The fields Type 86 carries, as they should come back from fromEntryType86. */
function carried(c: ConsignmentInput) {
  const party = (p: ConsignmentInput['seller']) =>
    p && [p.name, p.address.street, p.address.city, p.address.postcode, p.address.country, p.id];
  return {
    bl: c.transportDocument?.id ?? c.masterReference,
    port: c.routing.officeOfEntry,
    destination: c.routing.destinationCountry,
    seller: party(c.seller),
    consignee: party(c.consignee),
    items: c.items.map((i) => [i.description, i.hsCode, i.origin, i.quantity, i.value]),
  };
}

describe('Type 86 reader', () => {
  it('reads the sample; Type 86 -> model -> Type 86 gives it back unchanged', () => {
    const r = readT86(entry);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(toEntryType86(fromEntryType86(r.value)), entry);
  });

  it('model -> Type 86 -> model keeps every field Type 86 carries', () => {
    const flood = [...generateFlood({ seed: 't86-import', count: 200, day: '2025-03-10' })].map(
      (x) => x.input,
    );
    fc.assert(
      fc.property(fc.constantFrom(...flood), (c) => {
        const back = fromEntryType86(toEntryType86(c));
        assert.deepEqual(carried(back), carried(c));
        if (c.externalRef === undefined) assert.equal(back.externalRef, undefined);
      }),
      { numRuns: 200 },
    );
  });

  it('names the element, the JSON field and why for a malformed entry', () => {
    const r = readT86({
      ...entry,
      entryType: '11',
      portOfEntry: 5501,
      extra: true,
      lines: [{ ...entry.lines[0], quantity: '2', fairRetailValue: { amount: '24.00' } }],
    });
    assert.deepEqual(paths(r).sort(), [
      '/T86/EntryType',
      '/T86/Line[0]/FairRetailValue',
      '/T86/Line[0]/Quantity',
      '/T86/PortOfEntry',
      '/T86/extra',
    ]);
    assert.ok(!r.ok && r.issues.some((i) => i.message === 'extra: is not an element of this dataset'));
    assert.ok(
      !r.ok && r.issues.some((i) => /lines\/0\/fairRetailValue\/currency: is required/.test(i.message)),
    );
    assert.equal(t86ElementOf('/consignee/city'), '/T86/Consignee/City');
    assert.equal(t86ElementOf('/toString'), '/T86/toString');
  });

  it('names intake findings after the element, and refuses an entry over USD 800', () => {
    const overHs = checkT86File(
      { ...entry, lines: [{ ...entry.lines[0]!, htsNumber: '9999990000' }] },
      { snapshot: () => snapshot },
      ctx,
    );
    assert.ok(!overHs.ok);
    assert.ok(
      overHs.issues.every((i) => i.path === '/T86/Line[0]/HTSNumber'),
      JSON.stringify(overHs),
    );
    const over = checkT86File(
      [
        entry,
        { ...entry, lines: [{ ...entry.lines[0]!, fairRetailValue: { amount: '800.01', currency: 'USD' } }] },
      ],
      { snapshot: () => snapshot },
      ctx,
    );
    assert.deepEqual(paths(over), ['[1] /T86/FairRetailValue']);
  });

  it('never throws on hostile input: any JSON value gives records or issues', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ entryType: fc.constant('86'), destinationCountry: fc.string(), lines: fc.jsonValue() }),
          fc.constantFrom<unknown>([], {}, null, [entry, null], new Array(1001).fill(entry)),
        ),
        (v) => {
          const r = checkT86File(v, { snapshot: () => snapshot }, ctx);
          if (!r.ok) assert.ok(r.issues.length > 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
