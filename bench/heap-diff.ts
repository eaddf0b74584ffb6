/**
 * What grew between two V8 heap snapshots (a profiling aid for the soak, bench/heap-probe.ts):
 * objects grouped by kind and constructor, the count and self size each group gained, and for the
 * groups that gained most, the retainer path of a few objects that exist only in the later snapshot
 * (up to the first named holder: a Map, a class instance, a closure's context, a root).
 *
 * `node dist/bench/heap-diff.js EARLIER.heapsnapshot LATER.heapsnapshot [--top N]`
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: {
    meta: { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

interface Heap {
  readonly raw: Snapshot;
  readonly nodeFields: number;
  readonly edgeFields: number;
  /** Index (into nodes) of the first edge of each node, by node ordinal. */
  readonly firstEdge: Uint32Array;
  /** Retainers: for each node ordinal, the (edge index) list of edges that point at it. */
  readonly retainedFrom: Uint32Array;
  readonly retainerStart: Uint32Array;
  readonly retainerOwner: Uint32Array;
  readonly count: number;
}

function load(path: string): Heap {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const meta = raw.snapshot.meta;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const count = raw.nodes.length / nodeFields;
  const edgeCountAt = meta.node_fields.indexOf('edge_count');
  const toNodeAt = meta.edge_fields.indexOf('to_node');
  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    firstEdge[i] = e;
    e += (raw.nodes[i * nodeFields + edgeCountAt] as number) * edgeFields;
    firstEdge[i + 1] = e;
  }
  // Reverse edges, counting sort by target.
  const edgeTotal = raw.edges.length / edgeFields;
  const retainerStart = new Uint32Array(count + 1);
  for (let k = 0; k < edgeTotal; k++) {
    const to = (raw.edges[k * edgeFields + toNodeAt] as number) / nodeFields;
    retainerStart[to + 1] = (retainerStart[to + 1] as number) + 1;
  }
  for (let i = 0; i < count; i++)
    retainerStart[i + 1] = (retainerStart[i + 1] as number) + (retainerStart[i] as number);
  const fill = retainerStart.slice(0, count);
  const retainedFrom = new Uint32Array(edgeTotal);
  const retainerOwner = new Uint32Array(edgeTotal);
  for (let n = 0; n < count; n++) {
    for (let e = firstEdge[n] as number; e < (firstEdge[n + 1] as number); e += edgeFields) {
      const to = (raw.edges[e + toNodeAt] as number) / nodeFields;
      const slot = fill[to] as number;
      fill[to] = slot + 1;
      retainedFrom[slot] = e;
      retainerOwner[slot] = n;
    }
  }
  return { raw, nodeFields, edgeFields, firstEdge, retainedFrom, retainerStart, retainerOwner, count };
}

const field = (h: Heap, n: number, name: string): number =>
  h.raw.nodes[n * h.nodeFields + h.raw.snapshot.meta.node_fields.indexOf(name)] as number;

function typeOf(h: Heap, n: number): string {
  return h.raw.snapshot.meta.node_types[0][field(h, n, 'type')] ?? '?';
}

function nameOf(h: Heap, n: number): string {
  return h.raw.strings[field(h, n, 'name')] ?? '?';
}

/** The group an object is counted in: its kind, and its constructor for objects and closures. */
function groupOf(h: Heap, n: number): string {
  const type = typeOf(h, n);
  if (type === 'object' || type === 'closure' || type === 'native' || type === 'hidden')
    return `${type} ${nameOf(h, n).slice(0, 60)}`;
  return type;
}

interface Group {
  count: number;
  size: number;
}

function groups(h: Heap): Map<string, Group> {
  const out = new Map<string, Group>();
  for (let n = 0; n < h.count; n++) {
    const g = groupOf(h, n);
    let x = out.get(g);
    if (x === undefined) out.set(g, (x = { count: 0, size: 0 }));
    x.count += 1;
    x.size += field(h, n, 'self_size');
  }
  return out;
}

function edgeName(h: Heap, e: number): string {
  const meta = h.raw.snapshot.meta;
  const type = meta.edge_types[0][h.raw.edges[e + meta.edge_fields.indexOf('type')] as number] ?? '?';
  const v = h.raw.edges[e + meta.edge_fields.indexOf('name_or_index')] as number;
  if (type === 'element' || type === 'hidden') return `[${v}]`;
  return `${type === 'property' ? '' : `${type}:`}${h.raw.strings[v] ?? v}`.replace(/\d+/g, '#');
}

/** Bytes reachable from the root (strong edges), skipping the node `without` (-1: none). */
function reachable(h: Heap, without: number): { bytes: number; seen: Uint8Array } {
  const meta = h.raw.snapshot.meta;
  const typeAt = meta.edge_fields.indexOf('type');
  const toAt = meta.edge_fields.indexOf('to_node');
  const weak = meta.edge_types[0].indexOf('weak');
  const sizeAt = meta.node_fields.indexOf('self_size');
  const seen = new Uint8Array(h.count);
  const stack = [0];
  seen[0] = 1;
  if (without >= 0) seen[without] = 1;
  let bytes = 0;
  while (stack.length > 0) {
    const n = stack.pop() as number;
    bytes += h.raw.nodes[n * h.nodeFields + sizeAt] as number;
    for (let e = h.firstEdge[n] as number; e < (h.firstEdge[n + 1] as number); e += h.edgeFields) {
      if (h.raw.edges[e + typeAt] === weak) continue;
      const to = (h.raw.edges[e + toAt] as number) / h.nodeFields;
      if (seen[to] === 1) continue;
      seen[to] = 1;
      stack.push(to);
    }
  }
  return { bytes, seen };
}

/** Retained size (MB) of every object whose constructor is one of `names`: what would go with it. */
function retained(h: Heap, names: readonly string[]): Map<string, number> {
  const all = reachable(h, -1).bytes;
  const out = new Map<string, number>();
  for (let n = 0; n < h.count; n++) {
    if (typeOf(h, n) !== 'object' || !names.includes(nameOf(h, n))) continue;
    const name = nameOf(h, n);
    out.set(name, (out.get(name) ?? 0) + (all - reachable(h, n).bytes) / 1e6);
  }
  return out;
}

/** One retainer path of a node: strongest-looking retainer first, up to 12 steps or a root. */
function pathOf(h: Heap, start: number): string {
  const meta = h.raw.snapshot.meta;
  const typeAt = meta.edge_fields.indexOf('type');
  const steps: string[] = [];
  const seen = new Set<number>([start]);
  let n = start;
  for (let depth = 0; depth < 14; depth++) {
    let pick: { owner: number; edge: number } | undefined;
    for (let r = h.retainerStart[n] as number; r < (h.retainerStart[n + 1] as number); r++) {
      const edge = h.retainedFrom[r] as number;
      const owner = h.retainerOwner[r] as number;
      const et = meta.edge_types[0][h.raw.edges[edge + typeAt] as number];
      if (et === 'weak' || seen.has(owner)) continue;
      pick = { owner, edge };
      if (et !== 'internal') break;
    }
    if (pick === undefined) break;
    steps.push(`${groupOf(h, pick.owner)} .${edgeName(h, pick.edge)}`);
    seen.add(pick.owner);
    n = pick.owner;
    if (typeOf(h, n) === 'synthetic') break;
  }
  return steps.join('  <-  ');
}

function main(): void {
  const [a, b] = process.argv.slice(2).filter((x) => !x.startsWith('--'));
  const topAt = process.argv.indexOf('--top');
  const top = topAt >= 0 ? Number(process.argv[topAt + 1]) : 25;
  const holdersAt = process.argv.indexOf('--holders');
  const holders = holdersAt >= 0 ? (process.argv[holdersAt + 1] ?? '').split(',') : [];
  if (a === undefined || b === undefined)
    throw new Error('usage: heap-diff EARLIER LATER [--top N] [--holders Name,Name]');
  const ha = load(a);
  const ga = groups(ha);
  const idsA = new Set<number>();
  for (let n = 0; n < ha.count; n++) idsA.add(field(ha, n, 'id'));
  const hb = load(b);
  const gb = groups(hb);
  const say = (s: string) => process.stdout.write(`${s}\n`);
  if (holders.length > 0) {
    const ra = retained(ha, holders);
    const rb = retained(hb, holders);
    say('retained by holder (MB): earlier -> later');
    for (const name of holders)
      say(`  ${name}: ${(ra.get(name) ?? 0).toFixed(2)} -> ${(rb.get(name) ?? 0).toFixed(2)}`);
  }
  const total = (g: Map<string, Group>) => [...g.values()].reduce((s, x) => s + x.size, 0);
  say(`self size: ${(total(ga) / 1e6).toFixed(1)} MB -> ${(total(gb) / 1e6).toFixed(1)} MB`);
  const rows = [...gb].map(([k, x]) => {
    const y = ga.get(k) ?? { count: 0, size: 0 };
    return { k, dCount: x.count - y.count, dSize: x.size - y.size, count: x.count, size: x.size };
  });
  rows.sort((p, q) => q.dSize - p.dSize);
  say('group | +count | +MB | count | MB');
  for (const r of rows.slice(0, top))
    say(`${r.k} | ${r.dCount} | ${(r.dSize / 1e6).toFixed(2)} | ${r.count} | ${(r.size / 1e6).toFixed(2)}`);
  // Retainer paths of objects new in B, for the top object groups.
  for (const r of rows.filter((x) => x.k.startsWith('object ') || x.k === 'string').slice(0, 6)) {
    const paths = new Map<string, number>();
    let sampled = 0;
    let fresh = 0;
    for (let n = 0; n < hb.count && sampled < 400; n++) {
      if (groupOf(hb, n) !== r.k || idsA.has(field(hb, n, 'id'))) continue;
      if (fresh++ % 97 !== 0) continue;
      sampled += 1;
      const p = pathOf(hb, n);
      paths.set(p, (paths.get(p) ?? 0) + 1);
    }
    say(`\nnew ${r.k}: retainer paths of ${sampled} sampled`);
    for (const [p, c] of [...paths].sort((x, y) => y[1] - x[1]).slice(0, 4)) say(`  ${c}×  ${p}`);
  }
}

main();
