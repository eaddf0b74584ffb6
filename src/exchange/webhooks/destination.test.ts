import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  allowance,
  checkAddress,
  destinationGuard,
  forbiddenIpv4,
  forbiddenIpv6,
  parseAllowList,
  type HostLookup,
} from './destination.js';

// The ranges a webhook must never reach by default, as the requirement lists them, each with an address
// at its start, inside and at its end; `range` is the CIDR the refusal must name.
const mustRefuse: [address: string, range: string][] = [
  ['127.0.0.1', '127.0.0.0/8'],
  ['127.255.255.254', '127.0.0.0/8'],
  ['0.0.0.0', '0.0.0.0/8'],
  ['0.255.255.255', '0.0.0.0/8'],
  ['10.0.0.0', '10.0.0.0/8'],
  ['10.200.3.4', '10.0.0.0/8'],
  ['172.16.0.0', '172.16.0.0/12'],
  ['172.31.255.255', '172.16.0.0/12'],
  ['192.168.0.1', '192.168.0.0/16'],
  ['169.254.169.254', '169.254.0.0/16'],
  ['169.254.0.0', '169.254.0.0/16'],
  ['100.64.0.0', '100.64.0.0/10'],
  ['100.127.255.255', '100.64.0.0/10'],
  ['192.0.0.8', '192.0.0.0/24'],
  ['198.18.0.1', '198.18.0.0/15'],
  ['198.19.255.255', '198.18.0.0/15'],
  ['192.0.2.10', '192.0.2.0/24'],
  ['198.51.100.7', '198.51.100.0/24'],
  ['203.0.113.200', '203.0.113.0/24'],
  ['224.0.0.1', '224.0.0.0/4'],
  ['239.255.255.250', '224.0.0.0/4'],
  ['240.0.0.1', '240.0.0.0/4'],
  ['255.255.255.255', '240.0.0.0/4'],
  ['::1', '::1/128'],
  ['::', '::/128'],
  ['fe80::1', 'fe80::/10'],
  ['febf:ffff::1', 'fe80::/10'],
  ['fc00::1', 'fc00::/7'],
  ['fd12:3456:789a::1', 'fc00::/7'],
  ['ff02::1', 'ff00::/8'],
  ['2001:db8::1', '2001:db8::/32'],
  ['3fff::1', '3fff::/20'],
  ['fec0::1', 'fec0::/10'],
  ['100::1', '100::/64'],
  ['2001::1', '2001::/23'],
  ['::7f00:1', '::/96'],
  // IPv4 addresses in IPv6 clothing are judged by the IPv4 address they carry.
  ['::ffff:127.0.0.1', '127.0.0.0/8'],
  ['::ffff:7f00:1', '127.0.0.0/8'],
  ['0:0:0:0:0:ffff:a9fe:a9fe', '169.254.0.0/16'],
  ['::ffff:10.1.2.3', '10.0.0.0/8'],
  ['64:ff9b::a9fe:a9fe', '169.254.0.0/16'],
  ['64:ff9b::192.168.1.1', '192.168.0.0/16'],
  ['2002:7f00:1::1', '127.0.0.0/8'],
  ['2002:c0a8:101::', '192.168.0.0/16'],
  ['2002:ac10::1', '172.16.0.0/12'],
];

// Public addresses, including the neighbours of refused ranges and public IPv4 in IPv6 forms.
const mustAllow = [
  '93.184.215.14',
  '8.8.8.8',
  '1.1.1.1',
  '9.255.255.255',
  '11.0.0.0',
  '172.15.255.255',
  '172.32.0.0',
  '192.167.255.255',
  '192.169.0.0',
  '100.63.255.255',
  '100.128.0.0',
  '169.253.255.255',
  '198.17.255.255',
  '198.20.0.0',
  '223.255.255.255',
  '2606:4700:4700::1111',
  '2a00:1450:4001:80b::200e',
  '2001:200::1',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
];

test('every non-public range is refused, naming the range, in IPv4, IPv6 and mapped forms', () => {
  for (const [address, range] of mustRefuse) {
    const v = checkAddress(address);
    assert.equal(v.allowed, false, `${address} is refused`);
    if (!v.allowed) assert.equal(v.range.cidr, range, `${address} is refused for ${range}`);
  }
  for (const address of mustAllow) assert.equal(checkAddress(address).allowed, true, `${address} is public`);
});

test('URLs that spell a forbidden address otherwise are refused too (decimal, hex, bracketed IPv6)', async () => {
  const guard = destinationGuard({ lookup: () => Promise.reject(new Error('no lookup for addresses')) });
  for (const [url, address] of [
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://2130706433/hook', '127.0.0.1'],
    ['http://0x7f.1/hook', '127.0.0.1'],
    ['http://[::1]:8080/hook', '::1'],
    ['http://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1'],
    ['https://[fd00::5]/hook', 'fd00::5'],
  ] as const) {
    const r = await guard.check(new URL(url));
    assert.equal(r.ok, false, url);
    if (!r.ok) {
      assert.equal(r.refusal.kind, 'forbidden', url);
      if (r.refusal.kind === 'forbidden') assert.equal(r.refusal.address, address, url);
    }
  }
});

/** A resolver answering from a table; a name it lacks does not resolve. */
function table(answers: Record<string, string[]>): HostLookup & { calls: string[] } {
  const calls: string[] = [];
  const lookup = (host: string) => {
    calls.push(host);
    const a = answers[host];
    if (a === undefined) return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    return Promise.resolve(a.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }) as const));
  };
  return Object.assign(lookup, { calls });
}

test('a name is refused when any address it resolves to is forbidden, and when it does not resolve', async () => {
  const lookup = table({
    'public.test': ['93.184.215.14', '2606:4700:4700::1111'],
    'mixed.test': ['93.184.215.14', '10.0.0.7'],
    'metadata.test': ['169.254.169.254'],
    'empty.test': [],
  });
  const guard = destinationGuard({ lookup });
  const ok = await guard.check(new URL('https://public.test/h'));
  assert.deepEqual(ok.ok && ok.addresses.map((a) => a.address), ['93.184.215.14', '2606:4700:4700::1111']);
  const mixed = await guard.check(new URL('https://mixed.test/h'));
  assert.ok(!mixed.ok && mixed.refusal.kind === 'forbidden' && mixed.refusal.address === '10.0.0.7');
  assert.match(!mixed.ok ? mixed.refusal.message : '', /mixed\.test resolves to 10\.0\.0\.7.*10\.0\.0\.0\/8/);
  const meta = await guard.check(new URL('http://metadata.test/'));
  assert.ok(!meta.ok && meta.refusal.kind === 'forbidden');
  for (const host of ['nowhere.test', 'empty.test']) {
    const r = await guard.check(new URL(`https://${host}/h`));
    assert.ok(!r.ok && r.refusal.kind === 'unresolvable', host);
  }
});

test('localhost-style names are refused without asking DNS, unless their addresses are allowed', async () => {
  const lookup = table({ localhost: ['127.0.0.1'], 'metadata.google.internal': ['169.254.169.254'] });
  const strict = destinationGuard({ lookup });
  for (const host of [
    'localhost',
    'LOCALHOST.',
    'app.localhost',
    'printer.local',
    'metadata.google.internal',
  ]) {
    const r = await strict.check(new URL(`http://${host}/h`));
    assert.ok(!r.ok && r.refusal.kind === 'forbidden', host);
  }
  assert.deepEqual(lookup.calls, []);
  const named = await strict.check(new URL('http://metadata.google.internal/'));
  assert.equal(!named.ok && named.refusal.kind === 'forbidden' && named.refusal.range.cidr, '*.internal');
  const plain = await strict.check(new URL('http://localhost/'));
  assert.equal(!plain.ok && plain.refusal.kind === 'forbidden' && plain.refusal.range.cidr, 'localhost');
  const loopback = destinationGuard({ lookup, allow: ['127.0.0.1/32'] });
  assert.equal((await loopback.check(new URL('http://localhost:8080/h'))).ok, true);
  // Allowing loopback does not open the metadata address behind another special name.
  assert.equal((await loopback.check(new URL('http://metadata.google.internal/'))).ok, false);
});

test('the allow list admits exactly its ranges, in plain and IPv4-mapped form', () => {
  const allowed = allowance(['127.0.0.1/32', '10.20.0.0/16', 'fd00:1::/64']);
  for (const a of ['127.0.0.1', '::ffff:127.0.0.1', '10.20.255.1', 'fd00:1::9'])
    assert.equal(checkAddress(a, allowed).allowed, true, a);
  for (const a of ['127.0.0.2', '10.21.0.1', '192.168.1.1', 'fd00:2::9', '169.254.169.254', '::1'])
    assert.equal(checkAddress(a, allowed).allowed, false, a);
});

test('an allow list is CIDRs or addresses; anything else is named as bad', () => {
  assert.deepEqual(parseAllowList(' 10.0.0.0/8, ::1 ,fd00::/8,'), {
    ok: true,
    cidrs: ['10.0.0.0/8', '::1', 'fd00::/8'],
  });
  assert.deepEqual(parseAllowList(''), { ok: true, cidrs: [] });
  assert.deepEqual(parseAllowList('10.0.0.0/33,localhost,10.0.0.0/8,::/129,1.2.3.4/x'), {
    ok: false,
    bad: ['10.0.0.0/33', 'localhost', '::/129', '1.2.3.4/x'],
  });
});

// Property: against plain integer arithmetic over the published tables, an address inside a forbidden
// CIDR is refused and one outside all of them is allowed (IPv6 forms carrying IPv4 follow the IPv4 rule).
const v4 = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
const v6 = (n: bigint) =>
  Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
const v4Num = (a: string) => a.split('.').reduce((x, o) => x * 256 + Number(o), 0);
function v6Num(a: string): bigint {
  const [head = '', tail] = a.split('::');
  const parts = (s: string) => (s === '' ? [] : s.split(':'));
  const h = parts(head);
  const t = tail === undefined ? [] : parts(tail);
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return all.reduce((x, g) => (x << 16n) | BigInt(parseInt(g, 16)), 0n);
}
const inside4 = (n: number) =>
  forbiddenIpv4.some(({ cidr }) => {
    const [base = '', bits = '32'] = cidr.split('/');
    const shift = 32 - Number(bits);
    return shift === 32 || Math.floor(n / 2 ** shift) === Math.floor(v4Num(base) / 2 ** shift);
  });
const inside6 = (n: bigint) =>
  forbiddenIpv6.some(({ cidr }) => {
    const [base = '', bits = '128'] = cidr.split('/');
    const shift = BigInt(128 - Number(bits));
    return n >> shift === v6Num(base) >> shift;
  });
function expected6(n: bigint): boolean {
  const low32 = Number(n & 0xffffffffn);
  if (n >> 32n === 0xffffn) return !inside4(low32); // ::ffff:0:0/96
  if (n >> 32n === v6Num('64:ff9b::') >> 32n) return !inside4(low32); // NAT64
  if (n >> 112n === 0x2002n) return !inside4(Number((n >> 80n) & 0xffffffffn)); // 6to4
  return !inside6(n);
}

const inCidr4 = fc
  .tuple(fc.constantFrom(...forbiddenIpv4.map((r) => r.cidr)), fc.nat({ max: 0xffffffff }))
  .map(([cidr, r]) => {
    const [base = '', bits = '32'] = cidr.split('/');
    const size = 2 ** (32 - Number(bits));
    return v4Num(base) + (r % size);
  });
const ipv4 = fc.oneof(fc.nat({ max: 0xffffffff }), inCidr4);

test('property: an IPv4 address is refused exactly when a forbidden CIDR holds it', () => {
  fc.assert(
    fc.property(ipv4, (n) => {
      assert.equal(checkAddress(v4(n)).allowed, !inside4(n), v4(n));
    }),
    { numRuns: 3000 },
  );
});

const word = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
const ipv6 = fc.oneof(
  word(128),
  // global unicast 2000::/3, where most public addresses are
  word(125).map((x) => (1n << 125n) | x),
  // inside each forbidden IPv6 CIDR
  fc.tuple(fc.constantFrom(...forbiddenIpv6.map((r) => r.cidr)), word(128)).map(([cidr, r]) => {
    const [base = '', bits = '128'] = cidr.split('/');
    const host = 128n - BigInt(bits);
    return ((v6Num(base) >> host) << host) | (r & ((1n << host) - 1n));
  }),
  // IPv4 in IPv6 clothing, public or not
  ipv4.map((n) => (0xffffn << 32n) | BigInt(n)),
  ipv4.map((n) => v6Num('64:ff9b::') | BigInt(n)),
  fc.tuple(ipv4, word(80)).map(([n, rest]) => (0x2002n << 112n) | (BigInt(n) << 80n) | rest),
);

test('property: an IPv6 address is refused exactly when a forbidden CIDR holds it or the IPv4 it carries', () => {
  fc.assert(
    fc.property(ipv6, (n) => {
      assert.equal(checkAddress(v6(n)).allowed, expected6(n), v6(n));
    }),
    { numRuns: 3000 },
  );
});
