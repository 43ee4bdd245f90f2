import type Database from 'better-sqlite3';

export const PAGE_BUDGET_FUNCTION: string;

export interface ReadOp {
  sql: string;
  params: readonly unknown[];
  /** `value`: first column of the first row; `rows`: one BLOB of row JSON (see read-executor.js), cut into JSON arrays ({@link RowArrays}). */
  mode: 'value' | 'rows';
  /** Rows per JSON array (`rows`). */
  chunk?: number;
  /** `rows`: the page budget in bytes, enforced by the query's page budget function. */
  maxChars?: number;
}

/** The `rows` result: JSON array `i` is the UTF-8 bytes of `text` from `i === 0 ? 0 : ends[i - 1] + 1` to `ends[i]`. */
export interface RowArrays {
  text: Uint8Array;
  ends: number[];
  /** Rows in the page. */
  rows: number;
  /** Where the last row's JSON object begins (it ends one byte before the end of `text`). */
  lastStart: number;
  /** The page stopped at `maxChars`: rows may follow even if fewer than the query's limit came back. */
  cut: boolean;
}

export function executeRead(db: Database.Database, op: ReadOp): unknown;

export function transferablesOf(result: unknown): ArrayBuffer[];
