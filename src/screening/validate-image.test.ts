import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { ParcelgateError } from '../domain/index.js';
import { Prng } from '../sim/prng.js';
import { generateImage } from './generate.js';
import { encodeJpeg, encodePng } from './raster.js';
import { checkImage, sniffFormat } from './validate-image.js';

const sample = generateImage(new Prng('validate'), { width: 64, height: 48 }).image;
const png = encodePng(sample);
const jpg = encodeJpeg(sample, 85);

/** Runs checkImage and returns either 'ok' or the error code; anything but a screening error fails the test. */
function outcome(bytes: Buffer, type?: string): string {
  try {
    checkImage(bytes, type);
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof ParcelgateError, `unexpected ${String(e)}`);
    assert.match(e.code, /^screening\.image-/);
    assert.ok(e.status >= 400 && e.status < 500);
    return e.code;
  }
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])));
  return Buffer.concat([head, data, crc]);
}

function pngWith(width: number, height: number, idat: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('scanner image checks', () => {
  it('decodes valid PNG and JPEG images with their size and digest', () => {
    const p = checkImage(png, 'image/png');
    assert.deepEqual([p.format, p.width, p.height], ['png', 64, 48]);
    assert.deepEqual(p.rgb.data, sample.data);
    assert.match(p.sha256, /^[0-9a-f]{64}$/);
    const j = checkImage(jpg, 'application/octet-stream');
    assert.deepEqual([j.format, j.width, j.height], ['jpeg', 64, 48]);
    // lossy, but close to the original
    let diff = 0;
    for (let i = 0; i < sample.data.length; i++) diff += Math.abs(j.rgb.data[i]! - sample.data[i]!);
    assert.ok(diff / sample.data.length < 12);
  });

  it('names other formats by their magic bytes', () => {
    assert.deepEqual(sniffFormat(Buffer.from('GIF89a......')), { detected: 'GIF' });
    assert.deepEqual(sniffFormat(Buffer.from('II*\u0000........', 'latin1')), { detected: 'TIFF' });
    const dicom = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.alloc(20)]);
    assert.deepEqual(sniffFormat(dicom), { detected: 'DICOM/DICOS' });
    assert.throws(
      () => checkImage(dicom),
      (e: ParcelgateError) =>
        e.code === 'screening.image-unsupported-type' && e.status === 415 && /DICOM/.test(e.message),
    );
  });

  it('refuses empty, oversized and mislabelled uploads with specific codes', () => {
    assert.equal(outcome(Buffer.alloc(0)), 'screening.image-empty');
    assert.throws(
      () => checkImage(png, 'image/png', { maxBytes: 100, minSide: 1, maxSide: 100, maxPixels: 10_000 }),
      (e: ParcelgateError) => e.code === 'screening.image-too-large' && e.details?.limitBytes === 100,
    );
    assert.throws(
      () => checkImage(png, 'image/jpeg'),
      (e: ParcelgateError) => e.code === 'screening.image-type-mismatch' && e.details?.detected === 'png',
    );
  });

  it('rejects absurd dimensions from the header without inflating the data', () => {
    const huge = pngWith(100_000, 100_000, zlib.deflateSync(Buffer.alloc(10)));
    assert.throws(
      () => checkImage(huge),
      (e: ParcelgateError) => e.code === 'screening.image-dimensions' && e.details?.width === 100_000,
    );
    assert.equal(
      outcome(pngWith(8, 8, zlib.deflateSync(Buffer.alloc(8 * 25)))),
      'screening.image-dimensions',
    );
  });

  it('rejects a PNG whose data inflates beyond its dimensions (decompression bomb)', () => {
    const bomb = pngWith(64, 64, zlib.deflateSync(Buffer.alloc(50 * 1024 * 1024)));
    assert.ok(bomb.length < 100_000);
    assert.throws(
      () => checkImage(bomb),
      (e: ParcelgateError) =>
        e.code === 'screening.image-corrupt' && /more than its dimensions/.test(e.message),
    );
  });

  it('property: arbitrary bytes never escape as anything but a screening error', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.constantFrom(undefined, 'image/png', 'image/jpeg'),
        (bytes, type) => {
          assert.notEqual(outcome(Buffer.from(bytes), type), 'ok');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: bytes behind a PNG or JPEG signature are refused cleanly', () => {
    const prefixes = [png.subarray(0, 8), png.subarray(0, 33), jpg.subarray(0, 2), jpg.subarray(0, 200)];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 3000 }), (prefix, tail) => {
        outcome(Buffer.concat([prefix, Buffer.from(tail)]));
      }),
      { numRuns: 300 },
    );
  });

  it('property: truncated or bit-flipped valid images fail cleanly or decode to the right size', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(png, jpg),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 6 }),
        fc.option(fc.nat(), { nil: undefined }),
        (original, flips, cut) => {
          const bytes = Buffer.from(original);
          for (const [at, x] of flips) bytes[at % bytes.length] = bytes[at % bytes.length]! ^ x;
          const mutated = cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length);
          try {
            const r = checkImage(mutated);
            assert.equal(r.rgb.data.length, r.width * r.height * 3);
          } catch (e) {
            assert.ok(e instanceof ParcelgateError, `unexpected ${String(e)}`);
            assert.match(e.code, /^screening\.image-/);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a truncated PNG is reported as corrupt', () => {
    assert.equal(outcome(png.subarray(0, png.length - 20)), 'screening.image-corrupt');
  });
});
