/**
 * Gzip-compressed bulk files (carriers and posts ship `.ndjson.gz`, `.csv.gz`): recognised by their
 * magic bytes, decompressed as a stream in bounded memory, never buffered whole.
 */
import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { RawRecord } from './ndjson.js';

/** True when bytes start with the gzip magic number 1f 8b (RFC 1952). */
export const isGzip = (head: Uint8Array): boolean => head[0] === 0x1f && head[1] === 0x8b;

/** Why a gzip stream stopped: corrupt or truncated data, a size limit, or its source failed. */
export class GzipStreamError extends Error {
  constructor(
    readonly kind: 'invalid' | 'too-large' | 'source',
    message: string,
    /** The limit passed, in bytes (kind `too-large`). */
    readonly limit?: number,
  ) {
    super(message);
  }
}

/** Options of `gunzipStream`. */
export interface GunzipOptions {
  /**
   * Most bytes read from the source and most decompressed bytes (a gzip bomb stops here); beyond it the
   * stream fails with a `too-large` GzipStreamError.
   */
  maxBytes?: number;
  /**
   * On failure, read the rest of the source and drop it rather than destroy it: an HTTP request stays
   * open to be answered. Default false (a file stream is closed).
   */
  drainSource?: boolean;
}

/**
 * Decompresses a gzip byte stream. Any failure (corrupt or truncated data, `maxBytes` passed, the source
 * failing) ends the returned stream with a GzipStreamError, and the source is closed (or drained).
 */
export function gunzipStream(source: Readable, opts: GunzipOptions = {}): Readable {
  const gunzip = createGunzip();
  const out = new PassThrough();
  const max = opts.maxBytes ?? Infinity;
  let read = 0;
  let inflated = 0;
  let failed = false;
  const fail = (e: GzipStreamError) => {
    if (failed) return;
    failed = true;
    source.unpipe(gunzip);
    source.removeListener('data', countRead);
    if (opts.drainSource === true) source.resume();
    else source.destroy();
    gunzip.destroy();
    out.destroy(e);
  };
  const tooLarge = (what: string) =>
    fail(new GzipStreamError('too-large', `the ${what} is larger than the limit of ${max} bytes`, max));
  const countRead = (chunk: Buffer | string) => {
    read += chunk.length;
    if (read > max) tooLarge('compressed body');
  };
  source.on('data', countRead);
  source.on('error', (e) => fail(new GzipStreamError('source', e.message)));
  gunzip.on('error', (e) =>
    fail(new GzipStreamError('invalid', `the gzip data is corrupt or truncated (${e.message})`)),
  );
  gunzip.on('data', (chunk: Buffer) => {
    inflated += chunk.length;
    if (inflated > max) return tooLarge('decompressed body');
    if (!out.write(chunk)) {
      gunzip.pause();
      out.once('drain', () => gunzip.resume());
    }
  });
  gunzip.on('end', () => {
    if (!failed) out.end();
  });
  source.pipe(gunzip);
  return out;
}

/**
 * Reads records until their gzip stream fails, then stops as a reader stops at a broken file: what was
 * read before the damage is kept. `onFailure` is told the failure and may return a last record (the
 * CLI's file-stop record); any other error is thrown as before.
 */
export async function* untilGzipFailure<R extends RawRecord>(
  records: AsyncIterable<R>,
  onFailure: (e: GzipStreamError) => R | undefined,
): AsyncIterable<R> {
  try {
    yield* records;
  } catch (e) {
    if (!(e instanceof GzipStreamError)) throw e;
    const last = onFailure(e);
    if (last !== undefined) yield last;
  }
}

/** The record error of a gzip file that could not be read to its end (`gzip.invalid`, a file stop). */
export const gzipStopRecord = (e: GzipStreamError): RawRecord => ({
  line: 0,
  error: { code: 'gzip.invalid', path: '', message: e.message },
});
