/** The fields a rule can name, derived from the canonical consignment schema (never listed by hand). */
import { ConsignmentInput, Item } from '../domain/index.js';

/** Static type of an expression in the rule language. */
export type ValueType = 'bool' | 'num' | 'str' | 'date' | 'list' | 'object' | 'any';

/** One known field path and its type. */
export interface FieldInfo {
  path: readonly string[];
  type: ValueType;
  /** Child field names, for objects (used in error hints). */
  children?: readonly string[];
}

interface SchemaNode {
  type?: string;
  format?: string;
  pattern?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

function typeOf(node: SchemaNode): ValueType {
  if (node.anyOf) {
    const kinds = new Set(node.anyOf.map(typeOf));
    return kinds.size === 1 ? ([...kinds][0] as ValueType) : 'any';
  }
  switch (node.type) {
    case 'object':
      return 'object';
    case 'array':
      return 'list';
    case 'boolean':
      return 'bool';
    case 'number':
    case 'integer':
      return 'num';
    case 'string':
      if (node.format === 'date-time') return 'date';
      // Decimal strings (money) compare numerically; they stay strings to remain exact.
      if (node.pattern?.startsWith('^-?\\d')) return 'num';
      return 'str';
    default:
      return 'any';
  }
}

function walk(
  node: SchemaNode,
  prefix: string[],
  out: Map<string, FieldInfo>,
  skip: ReadonlySet<string>,
): void {
  const props = node.properties ?? {};
  for (const [name, child] of Object.entries(props)) {
    if (prefix.length === 0 && skip.has(name)) continue;
    const path = [...prefix, name];
    const type = typeOf(child);
    const info: FieldInfo = { path, type };
    if (type === 'object') {
      info.children = Object.keys(child.properties ?? {});
      walk(child, path, out, skip);
    }
    out.set(path.join('.'), info);
  }
}

function catalogue(schema: unknown, skip: ReadonlySet<string> = new Set()): ReadonlyMap<string, FieldInfo> {
  const out = new Map<string, FieldInfo>();
  walk(schema as SchemaNode, [], out, skip);
  return out;
}

/** Consignment-level fields (`items` is reached only through quantifiers and aggregates). */
export const consignmentFields: ReadonlyMap<string, FieldInfo> = catalogue(
  ConsignmentInput,
  new Set(['items']),
);

/** Fields of one item, visible inside `items.any(...)`, `items.all(...)` and aggregates. */
export const itemFields: ReadonlyMap<string, FieldInfo> = catalogue(Item);

/** Top-level names for error hints. */
export const topLevelNames = (fields: ReadonlyMap<string, FieldInfo>): string[] =>
  [...fields.values()].filter((f) => f.path.length === 1).map((f) => f.path[0] as string);
