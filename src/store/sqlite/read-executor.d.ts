import type Database from 'better-sqlite3';

export interface ReadOp {
  sql: string;
  params: readonly unknown[];
  /** `value`: first column of the first row; `jsonArrays`: every row's JSON first column, as JSON arrays of `chunk` rows. */
  mode: 'value' | 'jsonArrays';
  /** Rows per JSON array (`jsonArrays`). */
  chunk?: number;
}

export function executeRead(db: Database.Database, op: ReadOp): unknown;
