import type { DatabaseTarget, DialectKind } from '../db/database-target.ts';
import type { LogStore } from './log-store.ts';
import { PostgresLogStore } from './postgres/postgres-log-store.ts';
import { SqliteLogStore } from './sqlite/sqlite-log-store.ts';

type Opener = { [K in DialectKind]: (target: Extract<DatabaseTarget, { kind: K }>) => Promise<LogStore> };

/** The LogStore implementations by database kind. */
export const LOG_STORES: Opener = {
  sqlite: (t) => SqliteLogStore.open(t.file),
  postgres: (t) => PostgresLogStore.open(t.url, t.poolSize),
};

/** Opens (and migrates) the log store for a target. The caller must `close()` it. */
export function createLogStore(target: DatabaseTarget): Promise<LogStore> {
  const open = LOG_STORES[target.kind] as (t: DatabaseTarget) => Promise<LogStore>;
  return open(target);
}
