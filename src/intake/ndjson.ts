/** Streaming NDJSON reader: one JSON record per line, bounded memory whatever the file size. */
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import type { ValidationIssue } from '../domain/index.js';

/** One record read from a bulk file: its (first) line number and either a parsed value or an error. */
export interface RawRecord {
  line: number;
  value?: unknown;
  /** Why the record was refused (the first of `issues` when the reader found several). */
  error?: ValidationIssue;
  /** Every issue of a refused record, when the reader found more than one. */
  issues?: ValidationIssue[];
}

/** Anything that yields bytes or text chunks: a file stream, stdin, an HTTP request, a generator. */
export type ByteSource = NodeJS.ReadableStream | Readable | AsyncIterable<Uint8Array | string>;

/** Options for readNdjson. */
export interface NdjsonOptions {
  /** Longest accepted line in bytes (default 1 MiB); longer lines are skipped without being buffered. */
  maxLineBytes?: number;
}

/** Default maximum NDJSON line length: 1 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 10;

class LineState {
  parts: Buffer[] = [];
  bytes = 0;
  overflow = false;

  reset(): void {
    this.parts = [];
    this.bytes = 0;
    this.overflow = false;
  }

  bytesOf(): Buffer {
    const only = this.parts.length === 1 ? this.parts[0] : undefined;
    return only ?? Buffer.concat(this.parts, this.bytes);
  }
}

function toRecord(state: LineState, line: number, maxLineBytes: number): RawRecord | undefined {
  if (state.overflow) {
    return {
      line,
      error: {
        code: 'ndjson.line-too-long',
        path: '',
        message: `line ${line} is longer than ${maxLineBytes} bytes and was skipped`,
      },
    };
  }
  if (state.bytes === 0) return undefined;
  const bytes = state.bytesOf();
  let text = bytes.toString('utf8');
  // Bytes that are not UTF-8 decode to U+FFFD: refuse the line rather than store what was not sent.
  if (text.includes('\uFFFD') && !isUtf8(bytes))
    return {
      line,
      error: {
        code: 'ndjson.encoding-invalid',
        path: '',
        message: `line ${line} holds bytes that are not UTF-8; is the file UTF-8?`,
      },
    };
  if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.trim();
  if (text === '') return undefined;
  try {
    return { line, value: JSON.parse(text) as unknown };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      line,
      error: { code: 'ndjson.syntax', path: '', message: `line ${line} is not valid JSON: ${reason}` },
    };
  }
}

/**
 * Reads NDJSON (one JSON value per line; blank lines skipped; CRLF accepted). Yields each line's parsed
 * value or a coded error; memory stays bounded by the maximum line length.
 */
export async function* readNdjson(input: ByteSource, options: NdjsonOptions = {}): AsyncIterable<RawRecord> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const state = new LineState();
  let line = 1;
  for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
    const buf =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(NEWLINE, start);
      const end = nl === -1 ? buf.length : nl;
      if (!state.overflow && end > start) {
        if (state.bytes + (end - start) > maxLineBytes) {
          // Drop what we hold and skip to the next newline: a hostile line cannot grow memory.
          state.parts = [];
          state.bytes = 0;
          state.overflow = true;
        } else {
          state.parts.push(buf.subarray(start, end));
          state.bytes += end - start;
        }
      }
      if (nl === -1) break;
      const record = toRecord(state, line, maxLineBytes);
      state.reset();
      if (record !== undefined) yield record;
      line++;
      start = nl + 1;
    }
  }
  const last = toRecord(state, line, maxLineBytes);
  if (last !== undefined) yield last;
}
