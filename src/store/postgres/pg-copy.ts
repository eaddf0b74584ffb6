/**
 * `COPY … FROM STDIN (FORMAT binary)` over a plain `pg` client. PostgreSQL's bulk-load path: rows go to
 * the server as one stream, loaded without the planner or per-row parameter handling. It is a `pg`
 * submittable (what pg-copy-streams does, minus the streams): the client sends the statement, and when
 * the server answers CopyInResponse the whole prepared data is sent as CopyData messages followed by
 * CopyDone. An error (a constraint violated, a value of the wrong type) rejects and, inside a
 * transaction, aborts it; `table` and the columns must be trusted SQL identifiers: they are not quoted.
 */
import type pg from 'pg';

/** A value of a COPY row: text, a number, or SQL NULL. */
export type CopyValue = string | number | null;

/** The SQL type of a column in a binary COPY (its wire representation must match the column's). */
export type CopyType = 'text' | 'int4' | 'int8' | 'float8';

/** PGCOPY signature, flags field and header-extension length of the binary format. */
const binaryHeader = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');

/**
 * Rows in COPY's binary format, written straight into one growing buffer: every field is its length
 * and its bytes (text as UTF-8, numbers big-endian), so nothing is escaped or parsed, on either side.
 * Building the text format scanned every document for the characters to escape, concatenated the
 * lines into one string and encoded it again as UTF-8; here each value is encoded once.
 */
export class BinaryCopy {
  private buf: Buffer;
  private at: number;
  private count = 0;

  constructor(
    readonly columns: readonly string[],
    readonly types: readonly CopyType[],
    sizeHint = 1 << 16,
  ) {
    if (columns.length !== types.length) throw new Error('one type per column');
    this.buf = Buffer.allocUnsafe(Math.max(sizeHint, binaryHeader.length + 2));
    binaryHeader.copy(this.buf, 0);
    this.at = binaryHeader.length;
  }

  /** Rows added so far. */
  get rows(): number {
    return this.count;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }

  /** Adds one row; `values` are in column order and must match the column types. */
  row(values: readonly CopyValue[]): void {
    const types = this.types;
    if (values.length !== types.length)
      throw new Error(`a row of ${values.length} values for ${types.length} columns`);
    this.room(2);
    this.at = this.buf.writeInt16BE(types.length, this.at);
    for (let i = 0; i < types.length; i++) this.field(values[i] as CopyValue, types[i] as CopyType);
    this.count++;
  }

  private field(value: CopyValue, type: CopyType): void {
    if (value === null) {
      this.room(4);
      this.at = this.buf.writeInt32BE(-1, this.at);
      return;
    }
    if (type === 'text') {
      if (typeof value !== 'string') throw new Error(`cannot COPY ${typeof value} into a text column`);
      // At most three UTF-8 bytes per UTF-16 unit.
      this.room(4 + value.length * 3);
      const n = this.buf.write(value, this.at + 4, 'utf8');
      this.buf.writeInt32BE(n, this.at);
      this.at += 4 + n;
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new Error(`cannot COPY the number ${String(value)}`);
    if (type === 'float8') {
      this.room(12);
      this.buf.writeInt32BE(8, this.at);
      this.at = this.buf.writeDoubleBE(value, this.at + 4);
    } else if (type === 'int4') {
      this.room(8);
      this.buf.writeInt32BE(4, this.at);
      this.at = this.buf.writeInt32BE(value, this.at + 4);
    } else {
      if (!Number.isSafeInteger(value)) throw new Error(`cannot COPY ${String(value)} as a bigint`);
      this.room(12);
      const high = Math.floor(value / 2 ** 32);
      this.buf.writeInt32BE(8, this.at);
      this.buf.writeInt32BE(high, this.at + 4);
      this.at = this.buf.writeUInt32BE(value - high * 2 ** 32, this.at + 8);
    }
  }

  /** The COPY data: header, rows and the end-of-data marker. */
  finish(): Buffer {
    this.room(2);
    const end = this.buf.writeInt16BE(-1, this.at);
    return this.buf.subarray(0, end);
  }
}

/**
 * Copies the rows of `copy` into `table` (inside the caller's transaction, if any) in the binary
 * format and resolves with the number of rows the server loaded; no round trip when there are none.
 */
export function copyBinary(client: pg.ClientBase, table: string, copy: BinaryCopy): Promise<number> {
  if (copy.rows === 0) return Promise.resolve(0);
  return sendCopy(
    client,
    `COPY ${table} (${copy.columns.join(', ')}) FROM STDIN (FORMAT binary)`,
    copy.finish(),
  );
}

/** The methods of pg's (untyped) connection a COPY needs. */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/** Largest CopyData message sent (the server takes any size; smaller messages interleave better). */
const chunkBytes = 1 << 20;

/** One `COPY … FROM STDIN` with all its data known up front; settles after the server's ReadyForQuery. */
class CopyFromData implements pg.Submittable {
  private rows = 0;
  private failed: Error | undefined;

  constructor(
    private readonly statement: string,
    private readonly data: Buffer,
    private readonly done: (err: Error | undefined, rows: number) => void,
  ) {}

  submit(connection: pg.Connection): void {
    (connection as unknown as CopyConnection).query(this.statement);
  }

  handleCopyInResponse(connection: pg.Connection): void {
    const c = connection as unknown as CopyConnection;
    for (let at = 0; at < this.data.length; at += chunkBytes) {
      c.sendCopyFromChunk(this.data.subarray(at, at + chunkBytes));
    }
    c.endCopyFrom();
  }

  handleCommandComplete(msg: { text?: string }): void {
    const m = /^COPY (\d+)/.exec(msg.text ?? '');
    if (m !== null) this.rows = Number(m[1]);
  }

  handleError(err: Error): void {
    // pg stops routing messages to a query once it reports an error: settle now.
    this.failed = err;
    this.done(err, 0);
  }

  handleReadyForQuery(): void {
    if (this.failed === undefined) this.done(undefined, this.rows);
  }

  // Messages a COPY FROM never receives; pg may call them on a protocol error.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleEmptyQuery(): void {}
  handleCopyData(): void {}
}

function sendCopy(client: pg.ClientBase, statement: string, data: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const copy = new CopyFromData(statement, data, (err, n) =>
      err === undefined ? resolve(n) : reject(err),
    );
    client.query(copy);
  });
}
