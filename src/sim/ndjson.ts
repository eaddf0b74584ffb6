/** NDJSON output of a flood: one JSON record per line, streamed with backpressure. */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ConsignmentInput } from '../domain/index.js';
import { generateFlood } from './flood.js';
import type { FloodLabel, FloodOptions } from './types.js';

/** One consignment record as an NDJSON line (JSON plus a trailing newline). */
export function toNdjsonLine(input: ConsignmentInput | FloodLabel): string {
  return `${JSON.stringify(input)}\n`;
}

// Lines are written in chunks: one write per record would dominate the cost of a 100k flood.
const CHUNK_LINES = 500;

async function writeChunk(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * Streams a flood as NDJSON to `out` (inputs) and, optionally, `labelsOut` (labels, same order),
 * waiting for 'drain' when a stream's buffer is full. Does not end the streams. Resolves with the record count.
 */
export async function writeFlood(
  opts: FloodOptions,
  out: Writable,
  labelsOut?: Writable,
): Promise<{ count: number }> {
  let count = 0;
  let inputs = '';
  let labels = '';
  let lines = 0;
  for (const record of generateFlood(opts)) {
    inputs += toNdjsonLine(record.input);
    if (labelsOut !== undefined) labels += toNdjsonLine(record.label);
    count++;
    if (++lines === CHUNK_LINES) {
      await writeChunk(out, inputs);
      if (labelsOut !== undefined) await writeChunk(labelsOut, labels);
      inputs = '';
      labels = '';
      lines = 0;
    }
  }
  if (lines > 0) {
    await writeChunk(out, inputs);
    if (labelsOut !== undefined) await writeChunk(labelsOut, labels);
  }
  return { count };
}
