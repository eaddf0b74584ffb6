/**
 * The CUSRSP and EMSEVT samples in docs/formats/samples are read back and written again: the writer
 * must produce them byte for byte from what they carry, so the samples always show the real output.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import type { CustomsResponse } from '../clearance/index.js';
import type { ValidationIssue } from '../domain/index.js';
import type { ClearanceEvent } from '../store/index.js';
import { ElementReader } from './element-reader.js';
import { parsePostalItemXml, toCustomsResponseXml, toItemEventsXml, toPostalItemXml } from './index.js';
import { parseXmlDocument } from './xml-safety.js';

const sample = (name: string): string =>
  readFileSync(new URL(`../../../docs/formats/samples/${name}`, import.meta.url), 'utf8');

function root(xml: string, name: string): ElementReader {
  const doc = parseXmlDocument(xml);
  assert.ok(doc.ok, JSON.stringify(doc));
  assert.equal(doc.value.name, name);
  const issues: ValidationIssue[] = [];
  return new ElementReader(doc.value.node, `/${name}`, issues);
}

const need = (v: string | undefined, what: string): string => {
  assert.ok(v !== undefined, `${what} is in the sample`);
  return v;
};

it('the EMSEVT sample is what toItemEventsXml writes for the events it carries', () => {
  const xml = sample('postal-emsevt.xml');
  const events = root(xml, 'EMSEVT')
    .many('Event')
    .map((e) => {
      const event: ClearanceEvent = {
        consignmentId: need(e.text('ConsignmentId'), 'ConsignmentId'),
        type: need(e.text('ParcelgateEvent'), 'ParcelgateEvent'),
        from: null,
        to: (e.text('State') ?? null) as ClearanceEvent['to'],
        at: need(e.text('EventDateTime'), 'EventDateTime'),
        actor: 'customs',
        data: { location: need(e.text('Location'), 'Location') },
      };
      const reason = e.text('Reason');
      if (reason !== undefined) event.reason = reason;
      return { itemId: need(e.text('ItemId'), 'ItemId'), event };
    });
  assert.ok(events.length >= 3);
  assert.equal(toItemEventsXml(events).trimEnd(), xml.trimEnd());
});

it('the CUSRSP sample is what toCustomsResponseXml writes for the responses it carries', () => {
  const xml = sample('postal-cusrsp.xml');
  const r = root(xml, 'CUSRSP');
  const itemIds: Record<string, string> = {};
  const responses = r.many('Response').map((e) => {
    const id = need(e.text('ConsignmentId'), 'ConsignmentId');
    const item = e.text('ItemId');
    if (item !== undefined) itemIds[id] = item;
    const due = e.one('AmountDue');
    const info = e.one('InformationRequest');
    const answerWith = info?.one('AnswerWith');
    const lastAnsweredAt = info?.text('LastAnsweredAt');
    const information = info && {
      status: need(info.attr('status'), 'InformationRequest/@status'),
      requestedAt: need(info.text('RequestedAt'), 'RequestedAt'),
      documents: info.many('Document').map((x) => x.value() ?? ''),
      message: need(info.text('Message'), 'Message'),
      answers: Number(need(info.text('Answers'), 'Answers')),
      ...(lastAnsweredAt !== undefined ? { lastAnsweredAt } : {}),
      answerWith: {
        method: need(answerWith?.attr('method'), 'AnswerWith/@method'),
        path: need(answerWith?.value(), 'AnswerWith'),
      },
    };
    return {
      ...(information ? { information } : {}),
      consignmentId: id,
      version: Number(e.text('Version')),
      response: need(e.text('ResponseCode'), 'ResponseCode'),
      state: need(e.text('State'), 'State'),
      reasons: e.many('Reason').map((x) => x.value() ?? ''),
      dueAtBorder: need(due?.value(), 'AmountDue'),
      prepaid: need(e.one('Prepaid')?.value(), 'Prepaid'),
      currency: need(due?.attr('currency'), 'currency'),
      collectionModel: need(e.text('CollectionModel'), 'CollectionModel'),
      taxLines: e.many('TaxLine').map((t) => ({
        type: need(t.attr('type'), 'TaxLine/@type'),
        collectedBy: need(t.attr('collectedBy'), 'TaxLine/@collectedBy'),
        base: need(t.text('Base'), 'Base'),
        rate: need(t.text('Rate'), 'Rate'),
        amount: need(t.text('Amount'), 'Amount'),
        explanation: need(t.text('Explanation'), 'Explanation'),
      })),
      updatedAt: need(e.text('UpdatedAt'), 'UpdatedAt'),
    } as unknown as CustomsResponse;
  });
  assert.ok(responses.length >= 2);
  assert.ok(
    responses.some((x) => x.information !== undefined),
    'a sample response carries a request for information',
  );
  const again = toCustomsResponseXml(responses, {
    itemIds,
    sender: need(r.text('Sender'), 'Sender'),
    recipient: need(r.text('Recipient'), 'Recipient'),
    preparedAt: need(r.attr('preparedAt'), 'preparedAt'),
  });
  assert.equal(again.trimEnd(), xml.trimEnd());
});

it('the ITMATT sample reads to records that write and read back unchanged', () => {
  const first = parsePostalItemXml(sample('postal-itmatt.xml'));
  assert.deepEqual(first.issues, []);
  const records = first.records.map((r) => {
    assert.ok(r.value !== undefined, JSON.stringify(r.issues));
    return r.value;
  });
  assert.ok(records.length >= 2);
  const again = parsePostalItemXml(toPostalItemXml(records));
  assert.deepEqual(
    again.records.map((r) => r.value),
    records,
  );
});
