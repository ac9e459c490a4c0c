import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from './db.js';
import { migrate } from './migrations.js';
import { openPostgres } from './postgres.js';
import { SqliteDb } from './sqlite.js';

/** Opens PostgreSQL when a postgres:// URL is given, otherwise an SQLite file; runs pending migrations. */
export async function openDb(target: string): Promise<Db> {
  let db: Db;
  if (/^postgres(ql)?:\/\//.test(target)) db = openPostgres(target);
  else {
    if (target !== ':memory:') mkdirSync(dirname(target), { recursive: true });
    db = new SqliteDb(target);
  }
  await migrate(db);
  return db;
}
