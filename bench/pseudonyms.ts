/**
 * The cost of keyed pseudonyms (docs/security.md, "Pseudonyms") on the hot path, as ratios against
 * the unkeyed SHA-256 they replaced, measured in the same run:
 *   - per call: the old `createHash('sha256')` person key, `createHmac` per call, and the
 *     Pseudonymiser (pads prepared once, two one-shot hashes);
 *   - per consignment, the keys as the pipeline takes them: the person and consignee keys of the raw
 *     record (to load their history before the batch), the person key of the validated input and its
 *     consignee and seller keys three times each (assessment, consignee window, stored history),
 *     against the old forms (SHA-256 person key, clear folded consignee and seller texts).
 * `node dist/bench/run.js pseudonyms`; BENCH_PSEUDONYMS (default 20000) consignments.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { ConsignmentInput } from '../src/domain/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { validateConsignment } from '../src/intake/index.js';
import { newPseudonymKey, parsePseudonymKey, Pseudonymiser, usePseudonymiser } from '../src/privacy/index.js';
import { identityBasisOf, personKeyOf } from '../src/revenue/ledger.js';
import { personKeyOfRecord } from '../src/revenue/person-cache.js';
import { consigneeKeyOfRecord } from '../src/risk/consignee-cache.js';
import { consigneeKey, sellerKey } from '../src/risk/split-shipment.js';
import { fmt, records } from './util.js';

/** CPU nanoseconds per call of `f` over `inputs` (best of `passes` after two warm-up passes). */
function cpuNanos<T>(inputs: readonly T[], passes: number, f: (x: T) => unknown): number {
  let best = Infinity;
  for (let k = 0; k < passes + 2; k++) {
    const t = process.cpuUsage();
    for (const x of inputs) f(x);
    const u = process.cpuUsage(t);
    if (k >= 2) best = Math.min(best, ((u.user + u.system) * 1000) / inputs.length);
  }
  return best;
}

/** The forms before keyed pseudonyms: a person key is an unkeyed SHA-256, a risk key its clear text. */
class Unkeyed extends Pseudonymiser {
  constructor() {
    super({ id: 'unkeyed', secret: Buffer.alloc(32) });
  }
  override cached(text: string): string {
    return text.startsWith('identity') || text.startsWith('name')
      ? createHash('sha256').update(text).digest('hex').slice(0, 32)
      : text;
  }
}

/** Runs the bench and reports through `say`. */
export function benchPseudonyms(count: number, say: (line: string) => void): void {
  const snapshot = loadSnapshot({});
  const inputs: ConsignmentInput[] = [];
  for (const raw of records(count, 'pseudonyms')) {
    const v = validateConsignment(raw, snapshot.hs);
    if (v.ok) inputs.push(v.value);
  }
  const secret = randomBytes(32);
  const p = new Pseudonymiser(parsePseudonymKey(newPseudonymKey('bench')));
  const texts = inputs.map((c, i) =>
    c.consignee?.id
      ? identityBasisOf(c.consignee.id)
      : `PERSONAL:11010119900101${String(i).padStart(4, '0')}`,
  );
  const sha = cpuNanos(texts, 5, (t) => createHash('sha256').update(t).digest('hex').slice(0, 32));
  const hmac = cpuNanos(texts, 5, (t) => createHmac('sha256', secret).update(t).digest('hex').slice(0, 32));
  const keyed = cpuNanos(texts, 5, (t) => p.hex(`identity\u0000${t}`));
  say(`pseudonyms: ${fmt(texts.length)} identity numbers, one core, CPU per call`);
  say(`  unkeyed SHA-256 (before)        ${sha.toFixed(0)} ns  (baseline)`);
  say(`  createHmac per call             ${hmac.toFixed(0)} ns  ${(hmac / sha).toFixed(2)}x`);
  say(`  Pseudonymiser (pads kept)       ${keyed.toFixed(0)} ns  ${(keyed / sha).toFixed(2)}x`);

  // Per consignment, as the pipeline takes them: the person and consignee keys of the raw record (to
  // load their history before the batch), then the person key of the validated input and its consignee
  // and seller keys three times each (assessment, consignee window, stored history).
  const raws: unknown[] = [];
  const valid: ConsignmentInput[] = [];
  for (const raw of records(count, 'pseudonyms')) {
    const v = validateConsignment(raw, snapshot.hs);
    if (!v.ok) continue;
    raws.push(raw);
    valid.push(v.value);
  }
  const pass = (
    f: (raw: unknown, c: ConsignmentInput) => void,
    make: () => Pseudonymiser = () => new Pseudonymiser(parsePseudonymKey(newPseudonymKey('bench'))),
  ): number => {
    let best = Infinity;
    for (let k = 0; k < 7; k++) {
      // Fresh objects and a fresh key cache each pass, as each batch of new records meets them.
      const fresh = valid.map((c) => ({ ...c }));
      usePseudonymiser(make());
      const t = process.cpuUsage();
      for (let i = 0; i < fresh.length; i++) f(raws[i], fresh[i]!);
      const u = process.cpuUsage(t);
      if (k >= 2) best = Math.min(best, ((u.user + u.system) * 1000) / fresh.length);
    }
    return best;
  };
  // Before: the same calls with the old forms (SHA-256 person key, computed each time; the risk keys
  // the clear text), so only what changed is compared.
  const before = pass(
    (raw, c) => {
      personKeyOfRecord(raw);
      consigneeKeyOfRecord(raw);
      personKeyOf(c);
      for (let k = 0; k < 3; k++) {
        consigneeKey(c);
        sellerKey(c);
      }
    },
    () => new Unkeyed(),
  );
  const after = pass((raw, c) => {
    personKeyOfRecord(raw);
    consigneeKeyOfRecord(raw);
    personKeyOf(c);
    for (let k = 0; k < 3; k++) {
      consigneeKey(c);
      sellerKey(c);
    }
  });
  say(`  per consignment, its keys as the pipeline takes them (raw record, then validated input):`);
  say(`    before (SHA-256 person keys, clear risk keys, same calls) ${(before / 1000).toFixed(2)} µs`);
  say(
    `    after (3 HMACs: cached by text, kept with the input)      ${(after / 1000).toFixed(2)} µs  (+${((after - before) / 1000).toFixed(2)} µs)`,
  );
}
