/** A minimal SQL runner both exchange adapters implement, so the exchange queries are written once. */
import type Database from 'better-sqlite3';
import type pg from 'pg';

/** Runs `?`-placeholder SQL; `tx` runs a function inside one transaction. */
export interface SqlRunner {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  tx<T>(fn: (r: SqlRunner) => Promise<T>): Promise<T>;
}

/** SQLite: statements are cached; calls are serialised so a transaction never interleaves with others. */
export class SqliteRunner implements SqlRunner {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private direct(): SqlRunner {
    return {
      all: async <T>(sql: string, params: readonly unknown[] = []) => this.stmt(sql).all(...params) as T[],
      run: async (sql: string, params: readonly unknown[] = []) => this.stmt(sql).run(...params).changes,
      tx: () => Promise.reject(new Error('nested transaction')),
    };
  }

  all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.serial(() => this.direct().all<T>(sql, params));
  }

  run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.serial(() => this.direct().run(sql, params));
  }

  tx<T>(fn: (r: SqlRunner) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.direct());
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    });
  }
}

/** Rewrites `?` placeholders as `$1, $2, …` (the exchange SQL holds no literal question marks). */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function pgRunnerOf(client: pg.Pool | pg.ClientBase): SqlRunner {
  return {
    all: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await client.query(toPgPlaceholders(sql), params as unknown[])).rows as T[],
    run: async (sql: string, params: readonly unknown[] = []) =>
      (await client.query(toPgPlaceholders(sql), params as unknown[])).rowCount ?? 0,
    tx: () => Promise.reject(new Error('nested transaction')),
  };
}

/** PostgreSQL: plain calls use the pool; `tx` holds one client between BEGIN and COMMIT. */
export class PgRunner implements SqlRunner {
  private readonly plain: SqlRunner;

  constructor(readonly pool: pg.Pool) {
    this.plain = pgRunnerOf(pool);
  }

  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.plain.all<T>(sql, params);
  }

  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.plain.run(sql, params);
  }

  async tx<T>(fn: (r: SqlRunner) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const result = await fn(pgRunnerOf(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((e: unknown) => {
          broken = e instanceof Error ? e : new Error(String(e));
        });
        throw err;
      }
    } finally {
      client.release(broken);
    }
  }
}
