import type Database from 'better-sqlite3';

export type ReadOp =
  | { kind: 'rows'; sql: string; params: readonly unknown[] }
  | { kind: 'value'; sql: string; params: readonly unknown[] };

export function executeRead(db: Database.Database, op: ReadOp): unknown;
