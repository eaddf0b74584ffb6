import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import {
  clearanceStates,
  clearanceTriggers,
  nextState,
  releasedStates,
  terminalStates,
  transitionTable,
  type ClearanceState,
} from './clearance-state.js';

test('every target state in the table is a known state', () => {
  for (const row of Object.values(transitionTable)) {
    for (const to of Object.values(row))
      assert.ok(clearanceStates.includes(to as ClearanceState), String(to));
  }
});

test('returned and abandoned are terminal and nothing leaves them', () => {
  assert.deepEqual([...terminalStates].sort(), ['abandoned', 'returned']);
  for (const t of clearanceTriggers) assert.equal(nextState('returned', t).ok, false);
});

test('a fresh declaration can only be assessed', () => {
  assert.deepEqual(nextState('declared', 'assess'), { ok: true, from: 'declared', to: 'assessed' });
  const r = nextState('declared', 'officer.release');
  assert.equal(r.ok, false);
  if (!r.ok) assert.deepEqual(r.allowed, ['assess']);
});

test('a parcel released before arrival cannot be amended but can be reopened or called for inspection', () => {
  assert.equal(nextState('released-before-arrival', 'assess').ok, false);
  assert.deepEqual(nextState('released-before-arrival', 'reopen'), {
    ok: true,
    from: 'released-before-arrival',
    to: 'assessed',
  });
  for (const s of clearanceStates)
    if (s !== 'released-before-arrival') assert.equal(nextState(s, 'reopen').ok, false, s);
  assert.deepEqual(nextState('released-before-arrival', 'officer.inspect'), {
    ok: true,
    from: 'released-before-arrival',
    to: 'held-for-inspection',
  });
});

test('every state is reachable from declared', () => {
  const seen = new Set<ClearanceState>(['declared']);
  const queue: ClearanceState[] = ['declared'];
  while (queue.length) {
    const s = queue.shift()!;
    for (const to of Object.values(transitionTable[s])) {
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  assert.deepEqual([...seen].sort(), [...clearanceStates].sort());
});

test('any sequence of triggers keeps a consignment in a known state and never leaves a terminal state', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...clearanceTriggers), { maxLength: 40 }), (triggers) => {
      let state: ClearanceState = 'declared';
      let wasReleased = false;
      for (const t of triggers) {
        const r = nextState(state, t);
        if (!r.ok) {
          assert.ok(!Object.keys(transitionTable[state]).includes(t));
          continue;
        }
        assert.ok(!terminalStates.has(state));
        state = r.to;
        if (releasedStates.has(state)) wasReleased = true;
      }
      assert.ok(clearanceStates.includes(state));
      if (wasReleased) assert.notEqual(state, 'declared');
    }),
  );
});

test('an answer to a request for information is accepted only while held for information or arrived, and keeps the state', () => {
  for (const s of ['held-for-information', 'arrived'] as const)
    assert.deepEqual(nextState(s, 'submitter.information-provided'), { ok: true, from: s, to: s });
  for (const s of clearanceStates)
    if (s !== 'held-for-information' && s !== 'arrived')
      assert.equal(nextState(s, 'submitter.information-provided').ok, false, s);
  // After an answer, every officer decision of a held parcel is still open, before and after arrival.
  for (const t of [
    'officer.release',
    'officer.inspect',
    'officer.seize',
    'officer.return',
    'officer.request-information',
  ] as const) {
    assert.equal(nextState('held-for-information', t).ok, true, t);
    assert.equal(nextState('arrived', t).ok, true, t);
  }
  // A parcel held for information that arrives moves to arrived (where its request stays open).
  assert.deepEqual(nextState('held-for-information', 'carrier.arrived'), {
    ok: true,
    from: 'held-for-information',
    to: 'arrived',
  });
});

test('any sequence of answers and other triggers: answers never change the state', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...clearanceTriggers), { maxLength: 40 }), (triggers) => {
      let state: ClearanceState = 'declared';
      for (const t of triggers) {
        const r = nextState(state, t);
        if (!r.ok) continue;
        if (t === 'submitter.information-provided') {
          assert.ok(state === 'held-for-information' || state === 'arrived', state);
          assert.equal(r.to, state);
        }
        state = r.to;
      }
    }),
  );
});

test('the state table of docs/architecture.md shows every transition the code allows, and no other', () => {
  const doc = readFileSync(new URL('../../../docs/architecture.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## State machine'));
  // Annotations in parentheses (one level of nested links) are not part of a trigger or a state.
  const names = (cell: string): string[] =>
    cell
      .replace(/\s*\((?:[^()]|\([^()]*\))*\)/g, '')
      .split(' / ')
      .map((s) => s.trim());
  const documented = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length !== 5 || !clearanceStates.includes(cells[1] as ClearanceState)) continue;
    const triggers = names(cells[2]!);
    const targets = names(cells[3]!);
    assert.ok(targets.length === 1 || targets.length === triggers.length, line);
    triggers.forEach((t, i) => documented.set(`${cells[1]} ${t}`, targets[targets.length === 1 ? 0 : i]!));
  }
  const allowed = new Map<string, string>();
  for (const [from, row] of Object.entries(transitionTable))
    for (const [trigger, to] of Object.entries(row)) allowed.set(`${from} ${trigger}`, to);
  assert.deepEqual(
    [...documented].sort(),
    [...allowed].sort(),
    'docs/architecture.md state table vs transitionTable',
  );
});
