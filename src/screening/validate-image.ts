/**
 * Scanner image intake checks: size, type by magic bytes, dimensions from the header (before any
 * pixel is decoded), then a full decode with pngjs or jpeg-js under memory bounds. Every failure is a
 * ParcelgateError with a `screening.image-*` code; nothing else escapes.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ParcelgateError } from '../domain/index.js';
import { rgbaToRgb, type RgbImage } from './raster.js';
import type { ImageFormat } from './view-types.js';

export type { ImageFormat } from './view-types.js';

export const imageMediaTypes: Readonly<Record<ImageFormat, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
};

/** Limits of accepted images. */
export interface ImageLimits {
  maxBytes: number;
  minSide: number;
  maxSide: number;
  maxPixels: number;
}

/** Defaults: 25 MB files, sides 32 to 8,192 pixels, at most 40 megapixels. */
export const defaultImageLimits: ImageLimits = {
  maxBytes: 25 * 1024 * 1024,
  minSide: 32,
  maxSide: 8192,
  maxPixels: 40_000_000,
};

/** A checked, decoded image. */
export interface CheckedImage {
  format: ImageFormat;
  width: number;
  height: number;
  sha256: string;
  rgb: RgbImage;
}

const fail = (code: string, status: number, message: string, details?: Record<string, unknown>): never => {
  throw new ParcelgateError(code, message, status, details);
};

const signatures: { name: string; test: (b: Buffer) => boolean }[] = [
  { name: 'GIF', test: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  { name: 'BMP', test: (b) => b.subarray(0, 2).toString('latin1') === 'BM' },
  {
    name: 'TIFF',
    test: (b) => ['II*\u0000', 'MM\u0000*'].includes(b.subarray(0, 4).toString('latin1')),
  },
  {
    name: 'WebP',
    test: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  { name: 'DICOM/DICOS', test: (b) => b.length >= 132 && b.subarray(128, 132).toString('latin1') === 'DICM' },
  { name: 'PDF', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { name: 'JPEG 2000', test: (b) => b.subarray(4, 8).toString('latin1') === 'jP  ' },
];

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image format by magic bytes, or a description of what the bytes look like instead. */
export function sniffFormat(bytes: Buffer): { format: ImageFormat } | { detected: string } {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(pngSignature)) return { format: 'png' };
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return { format: 'jpeg' };
  for (const s of signatures) if (s.test(bytes)) return { detected: s.name };
  const head = bytes.subarray(0, 64).toString('latin1');
  if (/^\s*[{[<]/.test(head)) return { detected: 'text (JSON, XML or HTML)' };
  return { detected: 'unknown' };
}

/** Maps a Content-Type header to a format (`undefined` for generic types such as application/octet-stream). */
export function formatOfMediaType(contentType: string | undefined): ImageFormat | undefined {
  const t = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (t === 'image/png') return 'png';
  if (t === 'image/jpeg' || t === 'image/jpg' || t === 'image/pjpeg') return 'jpeg';
  return undefined;
}

interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
  idat: Buffer[];
}

/** Walks the PNG chunks: IHDR first and well-formed, every length inside the file, IDAT present, IEND last. */
function readPngChunks(b: Buffer): PngHeader {
  let at = 8;
  let header: Omit<PngHeader, 'idat'> | undefined;
  const idat: Buffer[] = [];
  let ended = false;
  while (at < b.length) {
    if (at + 8 > b.length)
      fail('screening.image-corrupt', 422, `PNG truncated inside a chunk header at byte ${at}`);
    const length = b.readUInt32BE(at);
    const type = b.subarray(at + 4, at + 8).toString('latin1');
    if (length > 0x7fffffff || at + 12 + length > b.length) {
      fail(
        'screening.image-corrupt',
        422,
        `PNG chunk '${type.replace(/[^\x20-\x7e]/g, '?')}' at byte ${at} runs past the end of the file`,
      );
    }
    const data = b.subarray(at + 8, at + 8 + length);
    if (header === undefined) {
      if (type !== 'IHDR' || length !== 13)
        fail('screening.image-corrupt', 422, 'PNG does not start with a valid IHDR chunk');
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        bitDepth: data[8]!,
        colourType: data[9]!,
        interlaced: data[12] === 1,
      };
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      ended = true;
      break;
    }
    at += 12 + length;
  }
  if (header === undefined) return fail('screening.image-corrupt', 422, 'PNG has no IHDR chunk');
  if (!ended) fail('screening.image-corrupt', 422, 'PNG is truncated: no IEND chunk');
  if (idat.length === 0) fail('screening.image-corrupt', 422, 'PNG has no image data (IDAT)');
  return { ...header, idat };
}

/** Reads a JPEG's frame size from its SOF marker without decoding; rejects arithmetic coding up front. */
function readJpegSize(b: Buffer): { width: number; height: number } {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) fail('screening.image-corrupt', 422, `JPEG marker expected at byte ${at}`);
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break;
    const length = b.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > b.length)
      fail('screening.image-corrupt', 422, `JPEG segment at byte ${at} runs past the end of the file`);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (length < 8) fail('screening.image-corrupt', 422, 'JPEG frame header is too short');
      if (marker >= 0xc9)
        fail('screening.image-corrupt', 422, 'JPEG uses arithmetic coding, which is not supported');
      if (marker === 0xc3 || marker === 0xc7 || marker === 0xcb || marker === 0xcf)
        fail('screening.image-corrupt', 422, 'lossless JPEG is not supported');
      return { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    }
    at += 2 + length;
  }
  return fail('screening.image-corrupt', 422, 'JPEG has no frame header (SOF) before its image data');
}

function checkDimensions(width: number, height: number, limits: ImageLimits): void {
  if (
    width < limits.minSide ||
    height < limits.minSide ||
    width > limits.maxSide ||
    height > limits.maxSide ||
    width * height > limits.maxPixels
  ) {
    fail(
      'screening.image-dimensions',
      422,
      `image is ${width}x${height} pixels; accepted: sides ${limits.minSide} to ${limits.maxSide}, at most ${limits.maxPixels} pixels`,
      { width, height, minSide: limits.minSide, maxSide: limits.maxSide, maxPixels: limits.maxPixels },
    );
  }
}

const channelsOf: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function decodePng(bytes: Buffer, limits: ImageLimits): RgbImage {
  const h = readPngChunks(bytes);
  checkDimensions(h.width, h.height, limits);
  const channels = channelsOf[h.colourType];
  if (channels === undefined || ![1, 2, 4, 8, 16].includes(h.bitDepth))
    fail(
      'screening.image-corrupt',
      422,
      `PNG colour type ${h.colourType} with bit depth ${h.bitDepth} is not valid`,
    );
  // bound the decompressed size before the decoder inflates (an interlaced image has a few extra filter bytes per pass row)
  const rowBytes = Math.ceil((h.width * channels! * h.bitDepth) / 8) + 1;
  const bound = rowBytes * h.height + 8 * (h.height + 8) * 7;
  try {
    zlib.inflateSync(Buffer.concat(h.idat), { maxOutputLength: bound });
  } catch (e) {
    fail(
      'screening.image-corrupt',
      422,
      (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
        ? 'PNG image data decompresses to more than its dimensions allow'
        : `PNG image data cannot be inflated: ${(e as Error).message}`,
    );
  }
  try {
    const png = PNG.sync.read(bytes);
    return rgbaToRgb(png.width, png.height, png.data);
  } catch (e) {
    return fail('screening.image-corrupt', 422, `PNG cannot be decoded: ${(e as Error).message}`);
  }
}

function decodeJpeg(bytes: Buffer, limits: ImageLimits): RgbImage {
  const size = readJpegSize(bytes);
  checkDimensions(size.width, size.height, limits);
  try {
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      tolerantDecoding: false,
      maxResolutionInMP: limits.maxPixels / 1e6,
      maxMemoryUsageInMB: Math.ceil((limits.maxPixels * 12) / 1e6) + 64,
    });
    if (img.width !== size.width || img.height !== size.height)
      fail('screening.image-corrupt', 422, 'JPEG frame size does not match its decoded size');
    return rgbaToRgb(img.width, img.height, img.data);
  } catch (e) {
    if (e instanceof ParcelgateError) throw e;
    return fail('screening.image-corrupt', 422, `JPEG cannot be decoded: ${(e as Error).message}`);
  }
}

/**
 * Checks and decodes an uploaded image. `declaredType` is the request's Content-Type: when it names
 * an image type it must match the bytes; generic types (application/octet-stream) are accepted.
 */
export function checkImage(
  bytes: Buffer,
  declaredType?: string,
  limits: ImageLimits = defaultImageLimits,
): CheckedImage {
  if (bytes.length === 0) fail('screening.image-empty', 400, 'the request carries no image bytes');
  if (bytes.length > limits.maxBytes) {
    fail(
      'screening.image-too-large',
      413,
      `image is ${bytes.length} bytes; the limit is ${limits.maxBytes}`,
      {
        bytes: bytes.length,
        limitBytes: limits.maxBytes,
      },
    );
  }
  const sniffed = sniffFormat(bytes);
  if (!('format' in sniffed)) {
    return fail(
      'screening.image-unsupported-type',
      415,
      `only PNG and JPEG images are accepted; these bytes look like ${sniffed.detected}`,
      {
        detected: sniffed.detected,
      },
    );
  }
  const declared = formatOfMediaType(declaredType);
  const generic = declaredType === undefined || /^application\/octet-stream\b/i.test(declaredType.trim());
  if (!generic && declared !== sniffed.format) {
    fail(
      'screening.image-type-mismatch',
      415,
      `Content-Type is '${declaredType}' but the bytes are a ${sniffed.format.toUpperCase()} image`,
      { declared: declaredType, detected: sniffed.format },
    );
  }
  const rgb = sniffed.format === 'png' ? decodePng(bytes, limits) : decodeJpeg(bytes, limits);
  return {
    format: sniffed.format,
    width: rgb.width,
    height: rgb.height,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    rgb,
  };
}
