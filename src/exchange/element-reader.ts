/** A cursor over a parsed XML element that names every problem after the element that has it. */
import type { ValidationIssue } from '../domain/index.js';
import { isNode, type XmlNode } from './xml-safety.js';

/** Reads one element's children, text and attributes, collecting issues with element paths. */
export class ElementReader {
  constructor(
    readonly node: XmlNode,
    readonly path: string,
    private readonly issues: ValidationIssue[],
  ) {}

  /** Records an issue against this element (or a child named by `sub`). */
  report(code: string, message: string, sub?: string): void {
    this.issues.push({ code, path: sub === undefined ? this.path : `${this.path}/${sub}`, message });
  }

  /** Every child element called `name`, each with an indexed path (`Content[0]`). */
  many(name: string): ElementReader[] {
    return this.raw(name).map((n, i) => new ElementReader(n, `${this.path}/${name}[${i}]`, this.issues));
  }

  /** The single child element called `name`; a repeat is reported and ignored. */
  one(name: string): ElementReader | undefined {
    const list = this.raw(name);
    if (list.length > 1) this.report('postal.repeated-element', `${name} may appear only once`, name);
    const first = list[0];
    return first === undefined ? undefined : new ElementReader(first, `${this.path}/${name}`, this.issues);
  }

  /** The text of the single child `name`; undefined when absent or empty. */
  text(name: string): string | undefined {
    return this.one(name)?.value();
  }

  /** This element's own text; undefined when empty. */
  value(): string | undefined {
    const t = Object.hasOwn(this.node, '#text') ? this.node['#text'] : undefined;
    const s = typeof t === 'string' ? t : typeof t === 'number' ? String(t) : '';
    return s === '' ? undefined : s;
  }

  /** An attribute of this element; undefined when absent or empty. */
  attr(name: string): string | undefined {
    const key = `@_${name}`;
    const v = Object.hasOwn(this.node, key) ? this.node[key] : undefined;
    return typeof v === 'string' && v !== '' ? v : undefined;
  }

  /** Reports every child element whose name is not in `allowed`. */
  only(allowed: ReadonlySet<string>): void {
    for (const key of Object.keys(this.node)) {
      if (key === '#text' || key.startsWith('@_') || allowed.has(key)) continue;
      this.report('postal.unexpected-element', `${key} is not defined here`, key);
    }
  }

  private raw(name: string): XmlNode[] {
    const list = Object.hasOwn(this.node, name) ? this.node[name] : undefined;
    if (!Array.isArray(list)) return [];
    return list.map((n: unknown) => (isNode(n) ? n : { '#text': typeof n === 'string' ? n : '' }));
  }
}

/** Sets `obj[key]` only when `value` is defined, so absent elements leave no undefined keys. */
export function put<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) obj[key] = value;
}

/** Drops an object whose keys are all absent; returns undefined for `{}`. */
export function nonEmpty<T extends object>(obj: T): T | undefined {
  return Object.keys(obj).length === 0 ? undefined : obj;
}
