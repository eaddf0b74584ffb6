/**
 * Fuzzing the customs-to-customs inputs: envelopes (any shape), signed payloads (any text), tampered
 * payloads and signatures, and agreement files. Each gets a specific ParcelgateError with the field
 * named, nothing crashes, and nothing is written (no consignment, no notice).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadSnapshot } from '../../clearance/index.js';
import { ParcelgateError } from '../../domain/index.js';
import type { ClearanceStore, ExchangeStore } from '../../store/index.js';
import { cnDeAgreement, cnExportData, openC2cFixture } from '../testing/c2c-fixtures.js';
import { generateSigningKeyPair, signPayload } from '../signing/index.js';
import { agreementIssues, readAgreements } from './agreement-book.js';
import type { DataSharingAgreement } from './agreement.js';
import { receiveExportData, type C2cDeps } from './exchange.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const now = '2026-11-25T10:00:00.000Z';
const cn = generateSigningKeyPair();
const agreement: DataSharingAgreement = cnDeAgreement({ purposes: ['pre-arrival'] });
const ctx = { actor: 'customs-cn', submitterId: 'customs-cn', now };
const valid = cnExportData(agreement, cn.privateKeyPem);

/** The specific refusals an export data message may get; anything else is a defect. */
const refusals = new Set([
  'c2c.invalid-message',
  'c2c.signature-refused',
  'c2c.field-outside-agreement',
  'c2c.no-agreement',
  'c2c.record-rejected',
]);

describe('customs-to-customs fuzzing', () => {
  let store: ClearanceStore;
  let exchange: ExchangeStore;
  let deps: C2cDeps;
  let close: () => Promise<void>;

  before(async () => {
    ({ store, exchange, deps, close } = await openC2cFixture({
      prefix: 'pg-c2c-fuzz-',
      snapshot,
      agreements: [agreement],
      administration: { operatorId: 'customs-de' },
      keys: [{ keyId: 'cn-1', operatorId: 'customs-cn', publicKey: cn.publicKey, purposes: ['export-data'] }],
    }));
  });
  after(() => close());

  /** Runs one receipt that must be refused with a specific error naming a path; nothing may be written. */
  async function refused(env: unknown): Promise<ParcelgateError> {
    try {
      await receiveExportData(deps, env as never, ctx);
    } catch (e) {
      assert.ok(e instanceof ParcelgateError, `not a ParcelgateError: ${String(e)}`);
      assert.ok(refusals.has(e.code), e.code);
      const issues = (e.details?.issues ?? []) as { path: unknown; message: unknown }[];
      assert.ok(
        issues.every((i) => typeof i.path === 'string' && typeof i.message === 'string'),
        JSON.stringify(issues),
      );
      return e;
    }
    assert.fail(`accepted: ${JSON.stringify(env).slice(0, 200)}`);
  }

  async function nothingWritten(): Promise<void> {
    assert.equal((await store.stats()).consignments, 0);
    assert.deepEqual(await exchange.noticesSince('customs-cn', 0, 10), []);
  }

  it('an envelope of any shape is refused as invalid, naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fc.record(
            {
              keyId: fc.jsonValue({ maxDepth: 1 }),
              payload: fc.jsonValue({ maxDepth: 1 }),
              signature: fc.jsonValue({ maxDepth: 1 }),
            },
            { requiredKeys: [] },
          ),
        ),
        async (env) => {
          const e = await refused(env);
          if (typeof env !== 'object' || env === null || Array.isArray(env))
            assert.equal(e.code, 'c2c.invalid-message');
        },
      ),
      { numRuns: 200 },
    );
    await nothingWritten();
  });

  it('any tampering with the payload or the signature is detected as signature.invalid', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('payload', 'signature'),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 1 }),
        async (field, at, ch) => {
          const text = valid[field];
          const i = at % text.length;
          if (text[i] === ch) return;
          const env = { ...valid, [field]: text.slice(0, i) + ch + text.slice(i + 1) };
          const e = await refused(env);
          assert.equal(e.code, 'c2c.signature-refused');
          assert.deepEqual(
            (e.details?.issues as { code: string }[]).map((x) => x.code),
            ['signature.invalid'],
          );
        },
      ),
      { numRuns: 200 },
    );
    // Truncation, a key of another administration and a foreign key id are refused as well.
    for (const env of [
      { ...valid, payload: valid.payload.slice(0, -1) },
      { ...valid, signature: valid.signature.slice(0, 40) },
      { ...valid, keyId: 'de-1' },
    ])
      assert.equal((await refused(env)).code, 'c2c.signature-refused');
    await nothingWritten();
  });

  it('a correctly signed payload that is not a valid message is refused with a specific error', async () => {
    const body = JSON.parse(valid.payload) as Record<string, unknown>;
    const sign = (payload: string) => ({
      keyId: 'cn-1',
      payload,
      signature: signPayload(cn.privateKeyPem, 'export-data', payload),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
          fc
            .tuple(fc.constantFrom(...Object.keys(body)), fc.jsonValue({ maxDepth: 3 }))
            .map(([k, v]) => JSON.stringify({ ...body, [k]: v })),
          fc.nat().map((n) => valid.payload.slice(0, n % valid.payload.length)),
        ),
        async (payload) => {
          try {
            // Only a payload that is still a complete message under the agreement may pass.
            const out = await receiveExportData(deps, sign(payload), ctx);
            assert.ok(out.findings.inReplyTo.length > 0);
          } catch (e) {
            assert.ok(e instanceof ParcelgateError && refusals.has(e.code), String(e));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('agreement files: any JSON is read or refused with c2c.agreement-invalid naming the path', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (json) => {
        try {
          readAgreements(json);
        } catch (e) {
          assert.ok(e instanceof ParcelgateError && e.code === 'c2c.agreement-invalid', String(e));
          const issues = e.details?.issues as { path: string }[];
          assert.ok(issues.length > 0 && issues.every((i) => typeof i.path === 'string'));
        }
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(agreement)), fc.jsonValue({ maxDepth: 2 }), (key, v) => {
        const changed = { ...agreement, [key]: v };
        const issues = agreementIssues(changed);
        try {
          assert.deepEqual(readAgreements([changed]), [changed]);
          assert.deepEqual(issues, []);
        } catch (e) {
          assert.ok(e instanceof ParcelgateError && e.code === 'c2c.agreement-invalid', String(e));
          const paths = (e.details?.issues as { path: string }[]).map((i) => i.path);
          assert.ok(
            paths.every((p) => p.startsWith(`/0/${key}`) || p === '/0'),
            `${key}: ${paths.join(',')}`,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agreement files: semantic problems and repeated ids are refused, each named', () => {
    assert.throws(
      () =>
        readAgreements([
          agreement,
          { ...agreement, destination: 'customs-cn', fields: ['/nope'] },
          agreement,
        ]),
      (e: unknown) => {
        assert.ok(e instanceof ParcelgateError && e.code === 'c2c.agreement-invalid');
        assert.deepEqual(
          (e.details?.issues as { path: string }[]).map((i) => i.path),
          ['/1/destination', '/1/fields/0', '/1/id', '/2/id'],
        );
        assert.match(e.message, /\/1\/destination/);
        return true;
      },
    );
  });
});
