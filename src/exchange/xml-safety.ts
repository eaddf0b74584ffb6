/** Guarded XML reading: size, encoding, DOCTYPE and depth screens before a non-throwing parse. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fail, ok, type Result, type ValidationIssue } from '../domain/index.js';

/** Caps applied to every XML document before it is parsed. */
export interface XmlLimits {
  /** Maximum document size in UTF-8 bytes (default 50 MB). */
  maxBytes?: number;
  /** Maximum element nesting depth (default 32; the postal format needs 5). */
  maxDepth?: number;
}

/** A parsed element: child element arrays by name, `#text`, and `@_`-prefixed attributes. */
export type XmlNode = Record<string, unknown>;

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 32;

const issue = (code: string, path: string, message: string): ValidationIssue => ({ code, path, message });

// XML 1.0 Char production: no C0 controls except TAB/LF/CR, no U+FFFE/U+FFFF, no lone surrogates.
// U+FFFD is legal XML but is what a decoder leaves behind when bytes were not UTF-8.
function badCharAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    if (c === 0xfffd || c === 0xfffe || c === 0xffff) return i;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return i;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

function byteLength(text: string, cap: number): number {
  // Cheap bound first: one UTF-16 unit is at most 3 UTF-8 bytes.
  return text.length * 3 <= cap ? text.length : Buffer.byteLength(text, 'utf8');
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Index of the `>` closing the tag opened at `start`, skipping quoted attribute values; -1 if none. */
function tagEnd(text: string, start: number): number {
  let quote = 0;
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 /* " */ || c === 0x27 /* ' */) quote = c;
    else if (c === 0x3e /* > */) return i;
  }
  return -1;
}

/** Nesting depth of elements, counted without building a tree (bounded work, no recursion). */
function exceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let i = text.indexOf('<');
  while (i !== -1) {
    const next = text.charCodeAt(i + 1);
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      // Comments and CDATA sections are skipped whole: markup-like text inside them is not nesting.
      let close: number;
      if (text.startsWith('<!--', i)) close = text.indexOf('-->', i);
      else if (text.startsWith('<![CDATA[', i)) close = text.indexOf(']]>', i);
      else close = text.indexOf('>', i);
      if (close === -1) return false;
      i = text.indexOf('<', close);
      continue;
    }
    // A `>` or `/>` inside a quoted attribute value does not end the tag.
    const end = tagEnd(text, i);
    if (end === -1) return false;
    if (next === 0x2f /* / */) depth--;
    else if (text.charCodeAt(end - 1) !== 0x2f) {
      depth++;
      if (depth > maxDepth) return true;
    }
    i = text.indexOf('<', end);
  }
  return false;
}

/** Screens raw text before parsing; returns the first document-level problem, if any. */
export function screenXml(xml: unknown, limits: XmlLimits = {}): ValidationIssue | undefined {
  if (typeof xml !== 'string') return issue('xml.not-text', '', 'the document must be given as text');
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  if (byteLength(xml, maxBytes) > maxBytes)
    return issue('xml.too-large', '', `the document is larger than ${maxBytes} bytes`);
  if (xml.trim() === '') return issue('xml.empty', '', 'the document is empty');
  const decl = /^\uFEFF?\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(xml);
  if (decl && !/^utf-?8$/i.test(decl[1] ?? ''))
    return issue(
      'xml.encoding-unsupported',
      '',
      `the document declares encoding "${decl[1] ?? ''}"; only UTF-8 is accepted`,
    );
  const bad = badCharAt(xml);
  if (bad !== -1)
    return issue(
      'xml.encoding-invalid',
      '',
      `line ${lineOf(xml, bad)}: character U+${xml.charCodeAt(bad).toString(16).toUpperCase().padStart(4, '0')} is not allowed; is the file UTF-8?`,
    );
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    return issue(
      'xml.doctype-forbidden',
      '',
      'DOCTYPE and ENTITY declarations are refused (entity expansion)',
    );
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (exceedsDepth(xml, maxDepth))
    return issue('xml.too-deep', '', `elements are nested deeper than ${maxDepth} levels`);
  return undefined;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(#[xX][0-9a-fA-F]+|#[0-9]+|[^\s&;<]*)(;?)/g;

/** An entity or character reference XML 1.0 does not allow; reported as `xml.syntax`. */
class XmlReferenceError extends Error {
  constructor(
    readonly reference: string,
    message: string,
  ) {
    super(message);
  }
}

/** True for a code point of the XML 1.0 Char production. */
const isXmlChar = (cp: number): boolean =>
  cp === 0x09 ||
  cp === 0x0a ||
  cp === 0x0d ||
  (cp >= 0x20 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0xfffd) ||
  (cp >= 0x10000 && cp <= 0x10ffff);

/**
 * Replaces the five predefined entities and character references (`&#233;`, `&#xE9;`) in one pass, so
 * that a decoded `&` never starts another reference. Any other `&` (an HTML entity such as `&nbsp;`,
 * which needs a DTD; a reference to a character XML forbids, e.g. `&#0;`) makes the document not
 * well-formed and is refused rather than kept as literal text or dropped.
 */
function decodeXmlReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, name: string, semicolon: string) => {
    if (semicolon === ';') {
      if (name.startsWith('#')) {
        const hex = name[1] === 'x' || name[1] === 'X';
        const cp = hex ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        if (name.length <= 12 && isXmlChar(cp)) return String.fromCodePoint(cp);
        throw new XmlReferenceError(whole, `the character reference ${whole} is not a character XML allows`);
      }
      const known = Object.hasOwn(PREDEFINED, name) ? PREDEFINED[name] : undefined;
      if (known !== undefined) return known;
    }
    throw new XmlReferenceError(
      whole,
      `${semicolon === ';' ? `the entity ${whole} is not defined` : `"${whole}" is not an entity reference`}: write & as &amp;, and use only &lt; &gt; &amp; &quot; &apos; or character references such as &#233;`,
    );
  });
}

// fast-xml-parser decodes character references only together with HTML's named entities; this
// decoder gives XML's own set instead (DOCTYPE is refused before parsing, so no entity is declared).
const entityDecoder = {
  setExternalEntities: (): void => undefined,
  addInputEntities: (): void => undefined,
  reset: (): void => undefined,
  setXmlVersion: (): void => undefined,
  decode: decodeXmlReferences,
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  alwaysCreateTextNode: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: true,
  processEntities: true,
  entityDecoder,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

/** Screens and parses a document; returns the root element's name and node, or coded issues. Never throws. */
export function parseXmlDocument(
  xml: unknown,
  limits: XmlLimits = {},
): Result<{ name: string; node: XmlNode }, ValidationIssue[]> {
  const screened = screenXml(xml, limits);
  if (screened) return fail([screened]);
  const text = (xml as string).replace(/^\uFEFF/, '');
  try {
    const valid = XMLValidator.validate(text);
    if (valid !== true) {
      const e = valid.err;
      return fail([issue('xml.syntax', '', `line ${e.line}, column ${e.col}: ${e.msg}`)]);
    }
    const doc: unknown = parser.parse(text);
    const roots = isNode(doc) ? Object.keys(doc).filter((k) => !k.startsWith('@_') && k !== '#text') : [];
    const name = roots[0];
    const first = name === undefined ? undefined : rootChild(doc, name);
    if (roots.length !== 1 || name === undefined || first === undefined)
      return fail([issue('xml.syntax', '', 'the document must have exactly one root element')]);
    return ok({ name, node: first });
  } catch (e) {
    if (e instanceof XmlReferenceError) {
      const at = text.indexOf(e.reference);
      const where = at === -1 ? '' : `line ${lineOf(text, at)}: `;
      return fail([issue('xml.syntax', '', `${where}${e.message}`)]);
    }
    const reason = e instanceof Error ? e.message : String(e);
    return fail([issue('xml.unreadable', '', `the document could not be read: ${reason}`)]);
  }
}

function rootChild(doc: unknown, name: string): XmlNode | undefined {
  if (!isNode(doc) || !Object.hasOwn(doc, name)) return undefined;
  const list = doc[name];
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  return isNode(first) ? first : undefined;
}

/** True for a parsed element object. */
export function isNode(v: unknown): v is XmlNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
