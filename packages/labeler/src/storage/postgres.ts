import pg from 'pg';
import { type Db, numberPlaceholders, type Param } from './db.js';

// BIGINT (ids, counts, epoch milliseconds) arrives as a string by default; every value we store fits a double.
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
};

type Queryable = { query: (sql: string, params?: unknown[]) => Promise<pg.QueryResult> };

function wrap(q: Queryable, txFn: Db['tx'], close: () => Promise<void>): Db {
  const cache = new Map<string, string>();
  const text = (sql: string) => {
    let t = cache.get(sql);
    if (!t) {
      t = numberPlaceholders(sql);
      cache.set(sql, t);
    }
    return t;
  };
  return {
    dialect: 'postgres',
    async all<T>(sql: string, params: Param[] = []) {
      return (await q.query(text(sql), params)).rows as T[];
    },
    async get<T>(sql: string, params: Param[] = []) {
      return (await q.query(text(sql), params)).rows[0] as T | undefined;
    },
    async run(sql: string, params: Param[] = []) {
      return (await q.query(text(sql), params)).rowCount ?? 0;
    },
    tx: txFn,
    close,
  };
}

export function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 8, types });
  const txFn = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const inner: Db = wrap(
        client,
        (f) => f(inner),
        async () => {},
      );
      const out = await fn(inner);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  return wrap(pool, txFn, () => pool.end());
}
