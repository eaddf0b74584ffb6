import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { intakeErrorCodes } from '../intake/index.js';
import { exchangeErrorCodes, parsePostalItemXml } from './index.js';

const ITEM = readFileSync(
  new URL('../../../docs/formats/samples/postal-itmatt.xml', import.meta.url),
  'utf8',
);

/** Parses and checks the contract: no throw, and every issue is coded, registered and has a message. */
function parsesSafely(xml: string): string[] {
  const r = parsePostalItemXml(xml);
  const issues = r.issues.concat(r.records.flatMap((x) => x.issues ?? []));
  for (const i of issues) {
    assert.ok(i.code in exchangeErrorCodes || i.code in intakeErrorCodes, `unregistered code ${i.code}`);
    assert.equal(typeof i.path, 'string');
    assert.ok(i.message.length > 0);
  }
  return issues.map((i) => i.code);
}

const names = fc.constantFrom(
  'ITMATT',
  'Item',
  'Content',
  'HSCode',
  'Sender',
  'Name',
  'Quantity',
  'x',
  'NetWeight',
);
const soup: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 20 }),
    fc
      .tuple(names, fc.array(tie('node'), { maxLength: 4 }))
      .map(([n, kids]) => `<${n}>${kids.join('')}</${n}>`),
    fc.tuple(names, fc.string({ maxLength: 10 })).map(([n, a]) => `<${n} unit="${a}"/>`),
  ),
})).node;

describe('postal XML parser under hostile input', () => {
  it('never throws on random strings and reports coded issues', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        parsesSafely(s);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on truncations of a valid document and reports a syntax issue for each', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: ITEM.length - 20 }), (cut) => {
        const codes = parsesSafely(ITEM.slice(0, cut));
        assert.ok(codes.length > 0);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random element soup under an ITMATT root', () => {
    fc.assert(
      fc.property(fc.array(soup, { maxLength: 6 }), (kids) => {
        parsesSafely(`<ITMATT><Item>${kids.join('')}</Item></ITMATT>`);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when random bytes are spliced into a valid document', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: ITEM.length }),
        fc.string({ unit: 'binary', maxLength: 30 }),
        (at, s) => {
          parsesSafely(ITEM.slice(0, at) + s + ITEM.slice(at));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a billion-laughs DOCTYPE before expanding any entity', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      Array.from(
        { length: 9 },
        (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
      ).join('') +
      ']><ITMATT><Item><SenderReference>&lol9;</SenderReference></Item></ITMATT>';
    assert.deepEqual(parsesSafely(laughs), ['xml.doctype-forbidden']);
    assert.deepEqual(parsesSafely('<!DOCTYPE x SYSTEM "file:///etc/passwd"><ITMATT/>'), [
      'xml.doctype-forbidden',
    ]);
  });

  it('refuses nesting deeper than the cap without recursing into it', () => {
    const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
    assert.deepEqual(parsesSafely(`<ITMATT><Item>${deep}</Item></ITMATT>`), ['xml.too-deep']);
  });

  it('counts nesting past a quoted ">" in attribute values, and not inside CDATA sections', () => {
    const deep = '<a x="/>">'.repeat(40) + '</a>'.repeat(40);
    assert.deepEqual(parsesSafely(`<ITMATT><Item>${deep}</Item></ITMATT>`), ['xml.too-deep']);
    const markup = `<![CDATA[${'<b>'.repeat(40)}]]>`;
    const r = parsePostalItemXml(ITEM.replace('Cotton ankle socks, 5 pairs', markup));
    assert.deepEqual(r.issues, []);
    assert.equal(r.records[0]?.value?.items[1]?.description, '<b>'.repeat(40));
  });

  it('decodes character references once, in text and attributes, as the predefined entities', () => {
    const xml = ITEM.replace(
      '<Name>Anna Schmidt</Name>',
      '<Name>Anna M&#252;ller &amp;#252; &#x1F600;</Name>',
    )
      .replace('<Street>Hauptstrasse 5</Street>', '<Street><![CDATA[Stra&#223;e 5]]></Street>')
      .replace('type="PERSONAL">DE-ID-4471', 'type="PERS&#79;NAL">DE&#45;ID-4471');
    const r = parsePostalItemXml(xml);
    assert.deepEqual(r.issues, []);
    const consignee = r.records[0]?.value?.consignee;
    assert.equal(consignee?.name, 'Anna M\u00fcller &#252; \u{1F600}');
    assert.equal(consignee?.address.street, 'Stra&#223;e 5');
    assert.deepEqual(consignee?.id, { type: 'PERSONAL', value: 'DE-ID-4471' });
  });

  it('refuses entities XML does not define and references to characters XML forbids, naming the line', () => {
    for (const ref of ['&nbsp;', '&eacute;', '&#0;', '&#x1;', '&#xD800;', '&#1114112;']) {
      const r = parsePostalItemXml(ITEM.replace('Hand-knitted', `Hand${ref}knitted`));
      assert.equal(r.records.length, 0, ref);
      assert.equal(r.issues.length, 1, ref);
      assert.equal(r.issues[0]?.code, 'xml.syntax', ref);
      assert.match(r.issues[0]?.message ?? '', new RegExp(`^line 80: .*${ref}`), ref);
    }
  });

  it('refuses documents over the size cap and handles a huge text node', () => {
    const big = `<ITMATT><Item><SenderReference>${'x'.repeat(2_000_000)}</SenderReference></Item></ITMATT>`;
    assert.equal(parsePostalItemXml(big, { maxBytes: 1_000_000 }).issues[0]?.code, 'xml.too-large');
    const codes = parsesSafely(ITEM.replace('<Description>', `<Description>${'y'.repeat(2_000_000)}`));
    assert.ok(codes.includes('schema.max-length'));
  });

  it('refuses declared non-UTF-8 encodings and text that was decoded with the wrong charset', () => {
    assert.deepEqual(parsesSafely(ITEM.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')), [
      'xml.encoding-unsupported',
    ]);
    assert.deepEqual(parsesSafely(ITEM.replace('Anna', 'An\uFFFDna')), ['xml.encoding-invalid']);
    const utf16 = Buffer.from(ITEM, 'utf16le').toString('latin1');
    assert.equal(parsesSafely(utf16)[0], 'xml.encoding-invalid');
    assert.deepEqual(parsesSafely(''), ['xml.empty']);
    assert.deepEqual(parsesSafely(42 as unknown as string), ['xml.not-text']);
  });

  it('does not pollute prototypes through element names', () => {
    parsesSafely('<ITMATT><Item><__proto__><polluted>1</polluted></__proto__><constructor/></Item></ITMATT>');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
