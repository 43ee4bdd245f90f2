import type Database from 'better-sqlite3';

export interface ReadOp {
  sql: string;
  params: readonly unknown[];
}

export function executeRead(db: Database.Database, op: ReadOp): unknown;
