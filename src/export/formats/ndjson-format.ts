import type { LogRow } from '../../store/log-row.ts';
import { compileCellReader, type CellValue } from './export-columns.ts';
import type { FormatFactory, FormatOptions, RowEncoder } from './export-format.ts';
import { createTimeFormatter } from './time-formatter.ts';

/** Characters a JSON string literal must escape (JSON.stringify also escapes lone surrogates). */
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/**
 * JSON string literal. Most log values need no escaping: checking that with one native regex test
 * and wrapping in quotes is cheaper than `JSON.stringify` (and than a char loop); anything with a
 * quote, backslash, control character or surrogate (possibly lone) takes the exact path.
 */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function jsonValue(v: CellValue): string {
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return 'null';
}

/**
 * Compiles a row serialiser producing one JSON object (no trailing newline) with the exported
 * fields as keys, in column order. Keys are pre-serialised once; values go through
 * `JSON.stringify` only for strings, which is the fast native path. A missing field is `null`
 * (bk-log writes `""`; null keeps "absent" apart from "empty").
 */
export function compileJsonObject(options: FormatOptions): (row: LogRow) => string {
  const columns = options.columns;
  const n = columns.length;
  const readCells = compileCellReader(columns, createTimeFormatter(options.timeZone));
  const keys = columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`);
  const cells: CellValue[] = new Array<CellValue>(n);
  if (n === 0) return () => '{}';
  return (row) => {
    readCells(row, cells);
    let s = '';
    for (let i = 0; i < n; i++) s += keys[i]! + jsonValue(cells[i]);
    return s + '}';
  };
}

/** `log`: NDJSON, bk-log's row format: one JSON object per line, `\n`-terminated, UTF-8 unescaped. */
export function createNdjsonEncoder(options: FormatOptions): RowEncoder {
  const object = compileJsonObject(options);
  return {
    format: 'log',
    extension: 'log',
    contentType: 'application/x-ndjson; charset=utf-8',
    open: () => '',
    row: (row: LogRow) => object(row) + '\n',
    close: () => '',
    stats: () => ({ formulaCellsEscaped: 0 }),
  };
}

export const ndjsonFormat: FormatFactory = {
  extension: 'log',
  contentType: 'application/x-ndjson; charset=utf-8',
  create: createNdjsonEncoder,
};
