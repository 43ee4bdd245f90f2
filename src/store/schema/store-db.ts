import type { Generated } from 'kysely';

/**
 * The store's tables as Kysely sees them. `fields` is JSON text in SQLite and jsonb in
 * PostgreSQL; ids are int8 (strings from pg, numbers from better-sqlite3).
 */
export interface LogsTable {
  id: Generated<string | number>;
  index_set_id: number;
  ts: number | string;
  ingested_at: number | string;
  message: string;
  fields: unknown;
}

/** The id allocator, one row, bumped inside each append transaction (which its lock serialises). */
export interface LogsStateTable {
  singleton: number;
  last_id: string;
}

export interface StoreDb {
  logs: LogsTable;
  logs_state: LogsStateTable;
}

/** Column names of `logs`, in the order the readers select them. */
export const LOG_COLUMNS = ['id', 'index_set_id', 'ts', 'ingested_at', 'message', 'fields'] as const;
