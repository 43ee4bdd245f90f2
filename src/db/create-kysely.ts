import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { createRequire } from 'node:module';
import type pg from 'pg';
import type { DatabaseTarget, DialectKind } from './database-target.ts';

// Loaded on first use: the embedded default never needs the PostgreSQL driver.
const load = createRequire(import.meta.url);

// int8 and numeric come back as strings by default; ids stay strings on purpose (they can pass
// 2^53), but counts are parsed where they are read.
const DIALECTS: { [K in DialectKind]: (target: Extract<DatabaseTarget, { kind: K }>) => SqliteDialect | PostgresDialect } = {
  sqlite: (t) => {
    const db = new Database(t.file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    return new SqliteDialect({ database: db });
  },
  postgres: (t) => {
    const { Pool } = load('pg') as typeof pg;
    const pool = new Pool({ connectionString: t.url, max: t.poolSize ?? 10 });
    // An idle connection killed by the server (restart, failover, admin) is emitted here; without
    // a listener Node would crash the process. The pool drops that client and the next query
    // opens a new one, so there is nothing else to do.
    pool.on('error', () => undefined);
    return new PostgresDialect({ pool });
  },
};

/** Builds a Kysely instance for the target. The caller owns it and must `destroy()` it. */
export function createKysely<DB>(target: DatabaseTarget): Kysely<DB> {
  const make = DIALECTS[target.kind] as (t: DatabaseTarget) => SqliteDialect | PostgresDialect;
  return new Kysely<DB>({ dialect: make(target) });
}
