/**
 * Where webhooks may go. A subscription names a URL and parcelgate POSTs to it, so without a rule an
 * operator's key could make the server reach its own loopback, the private network it runs in or the
 * cloud metadata address (server-side request forgery). The rule: a destination host must be, and resolve
 * only to, public addresses; the ranges below are refused unless the administration allows them
 * (`--webhook-allow`, docs/notifications.md#destinations). The check runs when a subscription is created
 * and again before every delivery, and the delivery connects to the address it checked (dns rebinding).
 */
import { BlockList, isIP } from 'node:net';
import { lookup as systemLookup } from 'node:dns/promises';
import { ParcelgateError } from '../../domain/index.js';

/** One address a name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (the system resolver by default). */
export type HostLookup = (host: string) => Promise<ResolvedAddress[]>;

/** What a deployment says about webhook destinations; the default refuses every non-public address. */
export interface DestinationPolicy {
  /** CIDRs (or single addresses) deliveries may reach although they are not public, e.g. `10.20.0.0/16`. */
  allow?: readonly string[];
  /** Name resolution (default `dns.lookup` with `all: true`); tests pass a stub. */
  lookup?: HostLookup;
}

/** A non-public range: its CIDR and what it is. */
export interface ForbiddenRange {
  cidr: string;
  name: string;
}

// IANA IPv4 and IPv6 special-purpose registries (RFC 6890 and successors), multicast and reserved space.
/** The IPv4 ranges no webhook may reach unless allowed. */
export const forbiddenIpv4: readonly ForbiddenRange[] = [
  { cidr: '0.0.0.0/8', name: 'unspecified ("this network")' },
  { cidr: '10.0.0.0/8', name: 'private' },
  { cidr: '100.64.0.0/10', name: 'carrier-grade NAT shared space' },
  { cidr: '127.0.0.0/8', name: 'loopback' },
  { cidr: '169.254.0.0/16', name: 'link-local (cloud metadata)' },
  { cidr: '172.16.0.0/12', name: 'private' },
  { cidr: '192.0.0.0/24', name: 'IETF protocol assignments' },
  { cidr: '192.0.2.0/24', name: 'documentation (TEST-NET-1)' },
  { cidr: '192.88.99.0/24', name: '6to4 relay anycast' },
  { cidr: '192.168.0.0/16', name: 'private' },
  { cidr: '198.18.0.0/15', name: 'benchmarking' },
  { cidr: '198.51.100.0/24', name: 'documentation (TEST-NET-2)' },
  { cidr: '203.0.113.0/24', name: 'documentation (TEST-NET-3)' },
  { cidr: '224.0.0.0/4', name: 'multicast' },
  { cidr: '240.0.0.0/4', name: 'reserved (incl. broadcast)' },
];

/**
 * The IPv6 ranges no webhook may reach unless allowed. Forms that carry an IPv4 address
 * (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by that address instead.
 */
export const forbiddenIpv6: readonly ForbiddenRange[] = [
  { cidr: '::/128', name: 'unspecified' },
  { cidr: '::1/128', name: 'loopback' },
  { cidr: '::/96', name: 'IPv4-compatible (deprecated)' },
  { cidr: '64:ff9b:1::/48', name: 'local-use NAT64' },
  { cidr: '100::/64', name: 'discard-only' },
  { cidr: '2001::/23', name: 'IETF protocol assignments (incl. Teredo)' },
  { cidr: '2001:db8::/32', name: 'documentation' },
  { cidr: '3fff::/20', name: 'documentation' },
  { cidr: '5f00::/16', name: 'segment routing (SRv6)' },
  { cidr: 'fc00::/7', name: 'unique-local' },
  { cidr: 'fe80::/10', name: 'link-local' },
  { cidr: 'fec0::/10', name: 'site-local (deprecated)' },
  { cidr: 'ff00::/8', name: 'multicast' },
  // Outside 2000::/3 nothing is assigned as global unicast.
  { cidr: '::/3', name: 'reserved (not global unicast)' },
  { cidr: '4000::/2', name: 'reserved (not global unicast)' },
  { cidr: '8000::/1', name: 'reserved (not global unicast)' },
];

/** Names that mean this host or a private network whatever DNS says (RFC 6761, RFC 6762, RFC 8375). */
const specialNames = /(^|\.)(localhost|local|localdomain|internal|home\.arpa)$/i;

/** A CIDR or a single address, parsed; undefined when it is neither. */
export function parseCidr(text: string): { address: string; prefix: number; family: 4 | 6 } | undefined {
  const [address = '', bits, extra] = text.trim().split('/');
  const family = isIP(address);
  if (extra !== undefined || (family !== 4 && family !== 6)) return undefined;
  const max = family === 4 ? 32 : 128;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = bits === undefined ? max : Number(bits);
  return prefix <= max ? { address, prefix, family } : undefined;
}

/** Reads an allow list (comma-separated CIDRs); returns the bad entries when there are any. */
export function parseAllowList(text: string): { ok: true; cidrs: string[] } | { ok: false; bad: string[] } {
  const cidrs = text
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const bad = cidrs.filter((c) => parseCidr(c) === undefined);
  return bad.length > 0 ? { ok: false, bad } : { ok: true, cidrs };
}

/** Verdict on one address. */
export type AddressVerdict =
  | { allowed: true; address: string; family: 4 | 6; explicitlyAllowed: boolean }
  | { allowed: false; address: string; family: 4 | 6; range: ForbiddenRange };

interface Table {
  list: BlockList;
  ranges: { range: ForbiddenRange; one: BlockList }[];
}

function table(ranges: readonly ForbiddenRange[]): Table {
  const list = new BlockList();
  const each = ranges.map((range) => {
    const c = parseCidr(range.cidr)!;
    const one = new BlockList();
    one.addSubnet(c.address, c.prefix, c.family === 4 ? 'ipv4' : 'ipv6');
    list.addSubnet(c.address, c.prefix, c.family === 4 ? 'ipv4' : 'ipv6');
    return { range, one };
  });
  return { list, ranges: each };
}

const v4Table = table(forbiddenIpv4);
const v6Table = table(forbiddenIpv6);

/** The 16 bytes of an IPv6 address (which `isIP` accepted; a zone suffix is ignored). */
function ipv6Bytes(address: string): number[] {
  const plain = address.split('%')[0]!;
  const [head = '', tail] = plain.split('::');
  const groups = (s: string): number[] => {
    if (s === '') return [];
    return s.split(':').flatMap((g) => {
      if (g.includes('.')) {
        const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
        return [(a << 8) | b, (c << 8) | d];
      }
      return [parseInt(g, 16)];
    });
  };
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/** The IPv4 address an IPv6 one carries (IPv4-mapped, NAT64 well-known prefix, 6to4), if any. */
export function embeddedIpv4(address: string): { ipv4: string; form: string } | undefined {
  const b = ipv6Bytes(address);
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = (at: number) => b.slice(at, at + 4).join('.');
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return { ipv4: v4(12), form: 'IPv4-mapped' };
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12))
    return { ipv4: v4(12), form: 'NAT64' };
  if (b[0] === 0x20 && b[1] === 0x02) return { ipv4: v4(2), form: '6to4' };
  return undefined;
}

/** An allow list compiled for checks. */
export interface Allowance {
  check(address: string, family: 4 | 6): boolean;
}

/** Compiles CIDRs (already valid: see parseAllowList) into an allowance. */
export function allowance(cidrs: readonly string[] = []): Allowance {
  const list = new BlockList();
  for (const text of cidrs) {
    const c = parseCidr(text);
    if (c === undefined) throw new Error(`not a CIDR: ${text}`);
    list.addSubnet(c.address, c.prefix, c.family === 4 ? 'ipv4' : 'ipv6');
  }
  return { check: (address, family) => list.check(address, family === 4 ? 'ipv4' : 'ipv6') };
}

/** Whether an address is public or allowed; when not, which range forbids it. */
export function checkAddress(address: string, allowed: Allowance = allowance()): AddressVerdict {
  const family = isIP(address);
  if (family !== 4 && family !== 6) throw new Error(`not an IP address: ${address}`);
  const plain = address.split('%')[0]!;
  if (allowed.check(plain, family)) return { allowed: true, address, family, explicitlyAllowed: true };
  if (family === 4) {
    const hit = v4Table.list.check(plain, 'ipv4')
      ? v4Table.ranges.find((r) => r.one.check(plain, 'ipv4'))
      : undefined;
    return hit
      ? { allowed: false, address, family, range: hit.range }
      : { allowed: true, address, family, explicitlyAllowed: false };
  }
  const inner = embeddedIpv4(plain);
  if (inner !== undefined) {
    const v = checkAddress(inner.ipv4, allowed);
    if (v.allowed) return { allowed: true, address, family, explicitlyAllowed: v.explicitlyAllowed };
    const range = { cidr: v.range.cidr, name: `${v.range.name}, as ${inner.form} ${inner.ipv4}` };
    return { allowed: false, address, family, range };
  }
  const hit = v6Table.list.check(plain, 'ipv6')
    ? v6Table.ranges.find((r) => r.one.check(plain, 'ipv6'))
    : undefined;
  return hit
    ? { allowed: false, address, family, range: hit.range }
    : { allowed: true, address, family, explicitlyAllowed: false };
}

/** The system resolver: every address of the name, in the resolver's order. */
export const systemHostLookup: HostLookup = async (host) =>
  (await systemLookup(host, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** Why a destination is refused: `forbidden` (a non-public address) or `unresolvable` (no address). */
export type DestinationRefusal =
  | { kind: 'forbidden'; host: string; address: string; range: ForbiddenRange; message: string }
  | { kind: 'unresolvable'; host: string; message: string };

/** A destination checked: every address it resolved to is allowed; `addresses` in resolver order. */
export type DestinationCheck =
  { ok: true; host: string; addresses: ResolvedAddress[] } | { ok: false; refusal: DestinationRefusal };

/** A policy compiled once and applied to many URLs. */
export interface DestinationGuard {
  /** Resolves the URL's host and checks every address (never throws for a refusal). */
  check(url: URL): Promise<DestinationCheck>;
}

/** The host of a URL as an address or a name (brackets and a trailing dot removed). */
function hostOf(url: URL): string {
  const h = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** Compiles a policy; the allow list must be valid CIDRs (parseAllowList checks user input). */
export function destinationGuard(policy: DestinationPolicy = {}): DestinationGuard {
  const allowed = allowance(policy.allow);
  const lookup = policy.lookup ?? systemHostLookup;
  const forbidden = (host: string, v: Extract<AddressVerdict, { allowed: false }>): DestinationCheck => ({
    ok: false,
    refusal: {
      kind: 'forbidden',
      host,
      address: v.address,
      range: v.range,
      message:
        `url host ${host}` +
        (host === v.address ? '' : ` resolves to ${v.address}, which`) +
        ` is in ${v.range.cidr} (${v.range.name}); webhooks go to public addresses only unless the server allows the range (--webhook-allow)`,
    },
  });
  return {
    async check(url) {
      const host = hostOf(url);
      const family = isIP(host);
      if (family === 4 || family === 6) {
        const v = checkAddress(host, allowed);
        return v.allowed ? { ok: true, host, addresses: [{ address: host, family }] } : forbidden(host, v);
      }
      const special = specialNames.exec(host)?.[2];
      const anyAllowed = (policy.allow ?? []).length > 0;
      let addresses: ResolvedAddress[];
      try {
        addresses = special !== undefined && !anyAllowed ? [] : await lookup(host);
      } catch (err) {
        const code = (err as { code?: string }).code ?? String(err);
        const message = `url host ${host} does not resolve (${code}); a webhook needs a name with a public address`;
        return { ok: false, refusal: { kind: 'unresolvable', host, message } };
      }
      if (special !== undefined) {
        // Names for this host or a private network pass only where every address is explicitly allowed.
        const verdicts = addresses.map((a) => checkAddress(a.address, allowed));
        if (addresses.length === 0 || verdicts.some((v) => !v.allowed || !v.explicitlyAllowed)) {
          const suffix = special.toLowerCase();
          const range = {
            cidr: host.toLowerCase() === suffix ? suffix : `*.${suffix}`,
            name: 'special-use name for this host or a private network',
          };
          const message = `url host ${host} is a special-use name for this host or a private network; allow its addresses with --webhook-allow to use it`;
          return {
            ok: false,
            refusal: { kind: 'forbidden', host, address: addresses[0]?.address ?? host, range, message },
          };
        }
      }
      if (addresses.length === 0) {
        const message = `url host ${host} resolves to no address`;
        return { ok: false, refusal: { kind: 'unresolvable', host, message } };
      }
      for (const a of addresses) {
        const v = checkAddress(a.address, allowed);
        if (!v.allowed) return forbidden(host, v);
      }
      return { ok: true, host, addresses };
    },
  };
}

/** The error a refused destination gives at subscription time, with the field it concerns. */
export function refusalError(r: DestinationRefusal): ParcelgateError {
  const code = r.kind === 'forbidden' ? 'webhook.destination-forbidden' : 'webhook.destination-unresolvable';
  const details =
    r.kind === 'forbidden'
      ? { host: r.host, address: r.address, range: r.range.cidr, rangeName: r.range.name }
      : { host: r.host };
  return new ParcelgateError(code, r.message, 400, {
    ...details,
    issues: [{ code, path: '/url', message: r.message }],
  });
}
