import type Database from 'better-sqlite3';

export interface ReadOp {
  sql: string;
  params: readonly unknown[];
  /** `value`: first column of the first row; `column`: first column of every row. */
  mode: 'value' | 'column';
}

export function executeRead(db: Database.Database, op: ReadOp): unknown;
