/**
 * `COPY … FROM STDIN` over a plain `pg` client, in the text format. PostgreSQL's bulk-load path: rows go
 * to the server as one stream of tab-separated lines, parsed without the planner or per-row parameter
 * handling. It is a `pg` submittable (what pg-copy-streams does, minus the streams): the client sends
 * the statement, and when the server answers CopyInResponse the whole prepared text is sent as CopyData
 * messages followed by CopyDone.
 */
import type pg from 'pg';

/** A value of a COPY row: text, a number, or SQL NULL. */
export type CopyValue = string | number | null;

/** Characters that the COPY text format must escape. */
const special = /[\\\t\n\r]/;
const specialAll = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field in COPY text format: `\N` for NULL, backslash, tab, newline and carriage return escaped. */
export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot COPY the number ${String(value)}`);
    return String(value);
  }
  return special.test(value) ? value.replace(specialAll, (c) => escapes[c] ?? c) : value;
}

/** Rows (one array of values each) as COPY text: fields joined by tabs, lines ended by newlines. */
export function copyText(rows: readonly (readonly CopyValue[])[]): string {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++)
    lines[i] = (rows[i] as readonly CopyValue[]).map(copyField).join('\t');
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
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
class CopyFromText implements pg.Submittable {
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

/**
 * Copies `rows` into `table (columns)` on `client` (inside the caller's transaction, if any) and
 * resolves with the number of rows the server loaded. An error (a constraint violated, a value of the
 * wrong type) rejects and, inside a transaction, aborts it. `table` and `columns` must be trusted SQL
 * identifiers: they are not quoted.
 */
export function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly CopyValue[])[],
): Promise<number> {
  if (rows.length === 0) return Promise.resolve(0);
  return copyEncoded(client, table, columns, copyText(rows));
}

/** As `copyRows`, with the rows already in COPY text format (see `copyText`). */
export function copyEncoded(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  text: string,
): Promise<number> {
  if (text === '') return Promise.resolve(0);
  return new Promise((resolve, reject) => {
    const statement = `COPY ${table} (${columns.join(', ')}) FROM STDIN`;
    const copy = new CopyFromText(statement, Buffer.from(text, 'utf8'), (err, n) =>
      err === undefined ? resolve(n) : reject(err),
    );
    client.query(copy);
  });
}
