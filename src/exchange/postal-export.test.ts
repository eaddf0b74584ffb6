import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import fc from 'fast-check';
import type { CustomsResponse } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import { itemEventCodes, postalDecisions, toCustomsResponseXml, toItemEventsXml } from './index.js';
import { informationDocumentKinds } from '../clearance/information.js';
import { xmlText } from './customs-response.js';

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

  it('carries the open request for information: documents, message, answers and where to answer', () => {
    const information = {
      status: 'answered' as const,
      requestedAt: '2025-03-05T10:05:00Z',
      documents: ['invoice', 'proof-of-payment'],
      message: 'Send the seller\'s invoice & the "proof" of payment <PDF>.',
      answers: 2,
      lastAnsweredAt: '2025-03-05T11:00:00Z',
      answerWith: { method: 'POST' as const, path: '/v1/consignments/csg_1/information' },
    };
    const xml = toCustomsResponseXml([{ ...response('REQUEST_INFO'), information }]);
    assert.equal(XMLValidator.validate(xml), true);
    const r = (read(xml).CUSRSP as { Response: Record<string, unknown> }).Response;
    assert.deepEqual(r.InformationRequest, {
      '@_status': 'answered',
      RequestedAt: '2025-03-05T10:05:00Z',
      Document: ['invoice', 'proof-of-payment'],
      Message: information.message,
      Answers: '2',
      LastAnsweredAt: '2025-03-05T11:00:00Z',
      AnswerWith: {
        '@_method': 'POST',
        '@_contentType': 'application/json',
        '#text': '/v1/consignments/csg_1/information',
      },
    });
    // A response without a request carries no element for it.
    assert.doesNotMatch(toCustomsResponseXml([response('RELEASE')]), /InformationRequest/);
  });

  it('any message and documents: well-formed XML that reads back to what was requested', () => {
    const parser = new XMLParser({
      ignoreAttributes: false,
      parseTagValue: false,
      trimValues: false,
      isArray: (name) => name === 'Document',
    });
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.subarray([...informationDocumentKinds]),
        fc.nat(5),
        (message, documents, answers) => {
          const information = {
            status: answers > 0 ? ('answered' as const) : ('requested' as const),
            requestedAt: '2025-03-05T10:05:00Z',
            documents,
            message,
            answers,
            answerWith: { method: 'POST' as const, path: '/v1/consignments/csg_1/information' },
          };
          const xml = toCustomsResponseXml([{ ...response('REQUEST_INFO'), information }]);
          assert.equal(XMLValidator.validate(xml), true, xml);
          const r = (parser.parse(xml) as { CUSRSP: { Response: Record<string, unknown> } }).CUSRSP.Response;
          const el = r.InformationRequest as Record<string, unknown>;
          assert.deepEqual(el.Document ?? [], documents);
          const text = xmlText(message);
          // An empty message writes no element; whitespace-only text is the indentation's to keep.
          if (text.trim() !== '') assert.equal(el.Message, text);
          assert.equal(el.Answers, String(answers));
          assert.equal((el.AnswerWith as Record<string, string>)['#text'], information.answerWith.path);
        },
      ),
    );
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

  it('any reason and location text (free text of officers and carriers): only XML 1.0 characters, read back', () => {
    const notXml10 = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
    const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false });
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.string({ unit: 'binary', maxLength: 30 }),
        (reason, location) => {
          const xml = toItemEventsXml([
            {
              itemId: 'RR123456785CN',
              event: {
                consignmentId: 'csg_1',
                type: 'consignment.inspect',
                from: 'arrived',
                to: 'arrived',
                at: '2025-03-06T06:10:00Z',
                actor: 'officer:x',
                reason,
                data: { location },
              },
            },
          ]);
          assert.equal(notXml10.test(xml), false, JSON.stringify(xml));
          const e = (parser.parse(xml) as { EMSEVT: { Event: Record<string, unknown> } }).EMSEVT.Event;
          if (xmlText(reason).trim() !== '') assert.equal(e.Reason, xmlText(reason));
          if (xmlText(location).trim() !== '') assert.equal(e.Location, xmlText(location));
        },
      ),
    );
  });

  it("reports a carrier's delivery, refusal and return as delivery milestones, not as customs decisions", () => {
    const ev = (type: string, from: string, to: string, trigger: string) => ({
      itemId: 'RR123456785CN',
      event: {
        consignmentId: 'csg_1',
        type,
        from: from as 'arrived',
        to: to as 'arrived',
        at: '2025-03-06T06:10:00Z',
        actor: 'x',
        data: { trigger },
      },
    });
    const xml = toItemEventsXml([
      ev('consignment.released', 'arrived', 'released', 'officer.release'),
      ev('consignment.released', 'arrived', 'released', 'carrier.delivered'),
      // Delivered after an officer's release: released -> released is named after its trigger.
      ev('consignment.delivered', 'released', 'released', 'carrier.delivered'),
      ev('consignment.returned', 'arrived', 'returned', 'carrier.refused'),
      ev('consignment.returned', 'released', 'returned', 'carrier.returned'),
      ev('consignment.returned', 'arrived', 'returned', 'officer.return'),
    ]);
    const events = (read(xml).EMSEVT as { Event: Record<string, unknown>[] }).Event;
    assert.deepEqual(
      events.map((x) => [x.ParcelgateEvent, x.EventCode]),
      [
        ['consignment.released', 'EDC'],
        ['consignment.released', 'EMI'],
        ['consignment.delivered', 'EMI'],
        ['consignment.returned', 'EMH'],
        ['consignment.returned', 'EMH'],
        ['consignment.returned', 'EDB'],
      ],
    );
    // A replacement table keyed by event type alone still applies to every event.
    const byType = { 'consignment.released': { code: 'X1', meaning: 'x', verified: false as const } };
    const own = (
      read(
        toItemEventsXml([ev('consignment.released', 'arrived', 'released', 'carrier.delivered')], {
          codes: byType,
        }),
      ).EMSEVT as { Event: Record<string, unknown> }
    ).Event;
    assert.equal(own.EventCode, 'X1');
  });

  it('marks every event code as unverified', () => {
    for (const code of Object.values(itemEventCodes)) assert.equal(code.verified, false);
  });
});
