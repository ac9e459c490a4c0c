import Database from 'better-sqlite3';
import type { Db, Param } from './db.js';

/**
 * better-sqlite3 is synchronous, so an async transaction could interleave with other requests' statements
 * on the same connection. Every top-level call therefore waits on one queue; statements issued inside a
 * transaction use the transaction's handle, which bypasses the queue.
 */
export class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  private readonly raw: Database.Database;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly stmts = new Map<string, Database.Statement>();

  constructor(file: string) {
    this.raw = new Database(file);
    this.raw.pragma('journal_mode = WAL');
    this.raw.pragma('foreign_keys = ON');
    this.raw.pragma('busy_timeout = 5000');
    this.raw.pragma('synchronous = NORMAL');
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  private direct(): Db {
    const self = this;
    const inner: Db = {
      dialect: 'sqlite',
      async all<T>(sql: string, params: Param[] = []) {
        const s = self.stmt(sql);
        return (s.reader ? s.all(...params) : (s.run(...params), [])) as T[];
      },
      async get<T>(sql: string, params: Param[] = []) {
        const s = self.stmt(sql);
        if (!s.reader) {
          s.run(...params);
          return undefined;
        }
        return s.get(...params) as T | undefined;
      },
      async run(sql: string, params: Param[] = []) {
        const s = self.stmt(sql);
        if (s.reader) {
          s.all(...params);
          return 0;
        }
        return s.run(...params).changes;
      },
      async tx<T>(fn: (db: Db) => Promise<T>) {
        return fn(inner); // nested: already inside the outer transaction
      },
      async close() {},
    };
    return inner;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  all<T>(sql: string, params?: Param[]) {
    return this.serial(() => this.direct().all<T>(sql, params));
  }
  get<T>(sql: string, params?: Param[]) {
    return this.serial(() => this.direct().get<T>(sql, params));
  }
  run(sql: string, params?: Param[]) {
    return this.serial(() => this.direct().run(sql, params));
  }
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.raw.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(this.direct());
        this.raw.exec('COMMIT');
        return out;
      } catch (err) {
        this.raw.exec('ROLLBACK');
        throw err;
      }
    });
  }
  async close() {
    await this.queue;
    this.raw.close();
  }
}
