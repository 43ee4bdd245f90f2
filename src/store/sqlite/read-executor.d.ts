import type Database from 'better-sqlite3';

export interface ReadOp {
  sql: string;
  params: readonly unknown[];
  /** `value`: first column of the first row; `jsonArrays`: every row's JSON first column, as JSON arrays of `chunk` rows ({@link JsonArrays}). */
  mode: 'value' | 'jsonArrays';
  /** Rows per JSON array (`jsonArrays`). */
  chunk?: number;
  /** `jsonArrays`: stop after the row that brings the page to this many characters of JSON. */
  maxChars?: number;
}

/** The `jsonArrays` result: JSON array `i` is the UTF-8 bytes of `text` from `ends[i - 1] ?? 0` to `ends[i]`. */
export interface JsonArrays {
  text: Uint8Array;
  ends: number[];
  /** The page stopped at `maxChars`: rows may follow even if fewer than the query's limit came back. */
  cut: boolean;
}

export function executeRead(db: Database.Database, op: ReadOp): unknown;

export function transferablesOf(result: unknown): ArrayBuffer[];
