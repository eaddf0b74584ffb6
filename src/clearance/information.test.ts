import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import type { ClearanceEvent, StoredConsignment } from '../store/index.js';
import { clearanceTriggers, nextState } from '../domain/index.js';
import {
  checkInformationAnswer,
  InformationAnswer,
  informationDocumentKinds,
  informationLimits,
  informationRequest,
  isAnswerable,
  isHttpsUrl,
  requestEffect,
  standardRequest,
  withOpenRequest,
} from './information.js';
import { step } from './routing.js';

const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .-]{0,30}$/).map((s) => s.trim() || 'x');
const doc = fc
  .record(
    {
      kind: fc.constantFrom(...informationDocumentKinds),
      reference: word,
      url: word.map((w) => `https://shop.example/${encodeURIComponent(w)}`),
      note: word,
    },
    { requiredKeys: ['kind', 'reference'] },
  )
  .map((d) => ({ ...d }));
const validAnswer = fc
  .record({
    explanation: word,
    documents: fc.uniqueArray(doc, {
      maxLength: informationLimits.documents,
      selector: (d) => `${d.kind}|${d.reference}`,
    }),
  })
  .map((a) => ({ ...a }));

test('every valid answer is accepted as given, and matches the published schema', () => {
  fc.assert(
    fc.property(validAnswer, (a) => {
      const r = checkInformationAnswer(a);
      assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
      assert.deepEqual(r.value, a);
      assert.ok(Value.Check(InformationAnswer, r.value));
    }),
  );
});

test('any JSON value: never throws, and whatever is accepted matches the schema', () => {
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue(), validAnswer, fc.record({ explanation: fc.anything() })), (v) => {
      const r = checkInformationAnswer(v);
      if (r.ok) assert.ok(Value.Check(InformationAnswer, r.value));
      else {
        assert.ok(r.issues.length > 0);
        for (const i of r.issues) assert.match(i.path, /^(\/[^/]*)*$/);
      }
    }),
  );
});

test('each fault put into a valid answer is reported at its own path, all at once', () => {
  const faults = [
    {
      set: (d: Record<string, unknown>) => (d.url = 'http://shop.example/x'),
      field: 'url',
      code: 'information.url-not-https',
    },
    { set: (d: Record<string, unknown>) => (d.kind = 'receipt'), field: 'kind', code: 'schema.enum' },
    {
      set: (d: Record<string, unknown>) => (d.reference = '  '),
      field: 'reference',
      code: 'information.blank',
    },
    { set: (d: Record<string, unknown>) => delete d.reference, field: 'reference', code: 'schema.required' },
    {
      set: (d: Record<string, unknown>) => (d.note = 'n'.repeat(501)),
      field: 'note',
      code: 'schema.max-length',
    },
  ];
  fc.assert(
    fc.property(
      validAnswer.filter((a) => a.documents.length > 0),
      fc.array(fc.tuple(fc.nat(), fc.nat(faults.length - 1)), { minLength: 1, maxLength: 4 }),
      (a, picks) => {
        const docs = a.documents.map((d) => ({ ...d }) as Record<string, unknown>);
        const want = new Map<number, (typeof faults)[number]>();
        for (const [i, f] of picks) want.set(i % docs.length, faults[f]!); // one fault per document
        for (const [i, f] of want) f.set(docs[i]!);
        const r = checkInformationAnswer({ ...a, documents: docs });
        assert.equal(r.ok, false);
        if (r.ok) return;
        const got = r.issues.map((x) => `${x.code} ${x.path}`);
        for (const [i, f] of want)
          assert.ok(got.includes(`${f.code} /documents/${i}/${f.field}`), got.join('; '));
      },
    ),
  );
});

test('URLs: only absolute https with a host and no credentials', () => {
  assert.ok(isHttpsUrl('https://shop.example/p?id=1'));
  for (const u of [
    'http://shop.example',
    'https://',
    'https://user:pw@shop.example/',
    'ftp://x',
    'javascript:alert(1)',
    ' https://x',
  ])
    assert.equal(isHttpsUrl(u), false, u);
});

const ev = (
  type: string,
  to: string,
  data: Record<string, unknown> = {},
  from = 'held-for-information',
): ClearanceEvent => ({
  consignmentId: 'csg_1',
  type,
  from: from as never,
  to: to as never,
  at: '2026-11-27T10:00:00Z',
  actor: 'x',
  data,
});

test('the open request is the last one; answers count only after it (any interleaving)', () => {
  const step = fc.constantFrom('route', 'ask', 'answer', 'inspect');
  fc.assert(
    fc.property(fc.array(step, { maxLength: 20 }), (steps) => {
      const events: ClearanceEvent[] = [
        ev(
          'consignment.held-for-information',
          'held-for-information',
          { trigger: 'route-yellow' },
          'assessed',
        ),
      ];
      let state = 'held-for-information';
      let since = 0;
      let by = 'assessment';
      for (const s of steps) {
        if (s === 'answer' && state === 'held-for-information') {
          events.push(
            ev('consignment.information-provided', state, {
              trigger: 'submitter.information-provided',
              explanation: 'e',
              documents: [],
            }),
          );
          since += 1;
        } else if (s === 'ask') {
          events.push(
            ev(
              state === 'held-for-information'
                ? 'consignment.request-information'
                : 'consignment.held-for-information',
              'held-for-information',
              { trigger: 'officer.request-information', request: { message: 'm' } },
              state,
            ),
          );
          state = 'held-for-information';
          since = 0;
          by = 'officer';
        } else if (s === 'route') {
          events.push(
            ev(
              'consignment.held-for-information',
              'held-for-information',
              { trigger: 'route-yellow' },
              'assessed',
            ),
          );
          state = 'held-for-information';
          since = 0;
          by = 'assessment';
        } else if (s === 'inspect') {
          events.push(
            ev('consignment.held-for-inspection', 'held-for-inspection', { trigger: 'officer.inspect' }),
          );
          state = 'held-for-inspection';
        }
      }
      const r = informationRequest({ id: 'csg_1', state: state as never }, events);
      if (state !== 'held-for-information') return assert.equal(r, undefined);
      assert.equal(r!.answers.length, since);
      assert.equal(r!.status, since > 0 ? 'answered' : 'requested');
      assert.equal(r!.requestedBy, by);
      assert.equal(r!.message, by === 'officer' ? 'm' : standardRequest.message);
    }),
  );
});

test('the open request follows the log: opened by a hold or a request, kept through arrival, closed by a decision (any trigger sequence)', () => {
  const opens = new Set(['route-yellow', 'officer.request-information']);
  const keeps = new Set(['carrier.arrived', 'submitter.information-provided']);
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...clearanceTriggers), { maxLength: 60 }), (triggers) => {
      let c = { id: 'csg_1', state: 'declared', informationOpen: undefined } as unknown as StoredConsignment;
      const events: ClearanceEvent[] = [];
      let open = false; // the oracle, by trigger
      let answers = 0;
      let seq = 0;
      for (const t of triggers) {
        if (!nextState(c.state, t).ok) continue;
        // The API refuses an answer without an open request (409) before the state table is asked.
        if (t === 'submitter.information-provided' && !isAnswerable(c)) continue;
        const from = c.state;
        const { to, event } = step(c.id, from, t, { at: '2026-11-27T10:00:00Z', actor: 'x' });
        events.push({ ...event, seq: ++seq });
        c = withOpenRequest(c, { ...c, state: to }, [event]);
        if (opens.has(t)) {
          open = true;
          answers = 0;
        } else if (t === 'submitter.information-provided') answers += 1;
        else if (!keeps.has(t) && !(t === 'assess' && from === 'arrived')) open = false;
        assert.equal(isAnswerable(c), open, `${t}: ${from} -> ${to}`);
        if (open) assert.ok(to === 'held-for-information' || to === 'arrived', to);
        if (to === 'held-for-information') assert.ok(open);
        assert.equal(
          c.informationOpen === true,
          open && to === 'arrived',
          'the flag is set only after arrival',
        );
        const r = informationRequest(c, events);
        assert.equal(r !== undefined, open);
        if (r) assert.equal(r.answers.length, answers);
      }
    }),
    { numRuns: 500 },
  );
});

test('a screening alert or a linked record that keeps the state does not open a new request', () => {
  const events: ClearanceEvent[] = [
    ev('consignment.held-for-information', 'held-for-information', { trigger: 'route-yellow' }, 'assessed'),
    ev('consignment.information-provided', 'held-for-information', { explanation: 'e', documents: [] }),
    ev('consignment.screening-alert', 'held-for-information', {}),
    ev('consignment.arrived', 'arrived', { trigger: 'carrier.arrived' }),
  ];
  const r = informationRequest({ id: 'csg_1', state: 'arrived' }, events);
  assert.equal(r?.status, 'answered');
  assert.equal(r?.answers.length, 1);
  assert.equal(requestEffect(events[2]!), 'keep');
});
