/**
 * The one interface both storage drivers implement. SQL is written once with `?` placeholders in the
 * subset SQLite and PostgreSQL share (RETURNING, ON CONFLICT ... DO UPDATE, BIGINT, DOUBLE PRECISION);
 * the PostgreSQL driver renumbers placeholders to $n.
 */
export type Param = string | number | null | bigint | Buffer;

export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  all<T = Record<string, unknown>>(sql: string, params?: Param[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: Param[]): Promise<T | undefined>;
  run(sql: string, params?: Param[]): Promise<number>;
  /** Runs fn inside one transaction: everything it wrote is committed together or rolled back together. */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Replaces `?` (outside quotes) with $1, $2, ... for PostgreSQL. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let out = '';
  let quote = false;
  for (const ch of sql) {
    if (ch === "'") quote = !quote;
    if (ch === '?' && !quote) out += `$${++n}`;
    else out += ch;
  }
  return out;
}
