import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { CustomsResponse } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import { itemEventCodes, postalDecisions, toCustomsResponseXml, toItemEventsXml } from './index.js';

const response = (code: string): CustomsResponse => ({
  consignmentId: 'csg_1',
  version: 1,
  state: 'held-for-inspection',
  response: code,
  reasons: ['Declared value below market price & brand'],
  dueAtBorder: '12.50',
  prepaid: '0.00',
  currency: 'EUR',
  collectionModel: 'border',
  taxLines: [],
  updatedAt: '2025-03-05T10:00:00Z',
});
const read = (xml: string): Record<string, unknown> =>
  new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml) as Record<string, unknown>;

describe('toCustomsResponseXml', () => {
  it('maps every parcelgate response code to a decision and a processing indicator', () => {
    const codes = [
      'RELEASE',
      'RELEASE_WITH_PAYMENT_DUE',
      'REQUEST_INFO',
      'HOLD_PHYSICAL_EXAM',
      'DO_NOT_LOAD',
    ];
    for (const code of codes.concat(['SEIZE', 'REFUSE_RETURN_TO_SENDER', 'DESTROY', 'PENDING'])) {
      const xml = toCustomsResponseXml([response(code)], { itemIds: { csg_1: 'RR123456785CN' } });
      assert.equal(XMLValidator.validate(xml), true);
      const r = (read(xml).CUSRSP as { Response: Record<string, unknown> }).Response;
      assert.equal(r.ItemId, 'RR123456785CN');
      assert.equal((r.Decision as Record<string, string>)['#text'], postalDecisions[code]?.decision);
      assert.equal((r.AmountDue as Record<string, string>)['#text'], '12.50');
      assert.equal(r.Reason, 'Declared value below market price & brand');
    }
  });

  it('throws a coded error for a response code without a mapping', () => {
    assert.throws(
      () => toCustomsResponseXml([response('TELEPORT')]),
      (e: unknown) => e instanceof ParcelgateError && e.code === 'exchange.unknown-response-code',
    );
  });
});

describe('toItemEventsXml', () => {
  it('writes mapped clearance events as milestones and leaves internal events out', () => {
    const ev = (type: string, to: string) => ({
      itemId: 'RR123456785CN',
      event: {
        consignmentId: 'csg_1',
        type,
        from: null,
        to: to as 'arrived',
        at: '2025-03-06T06:10:00Z',
        actor: 'x',
      },
    });
    const xml = toItemEventsXml([
      ev('consignment.declared', 'declared'),
      ev('consignment.arrived', 'arrived'),
    ]);
    assert.equal(XMLValidator.validate(xml), true);
    const e = (read(xml).EMSEVT as { Event: Record<string, unknown> }).Event;
    assert.equal(e.EventCode, itemEventCodes['consignment.arrived']?.code);
    assert.equal(e.ParcelgateEvent, 'consignment.arrived');
  });

  it('marks every event code as unverified', () => {
    for (const code of Object.values(itemEventCodes)) assert.equal(code.verified, false);
  });
});
