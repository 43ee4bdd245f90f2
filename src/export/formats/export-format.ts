import type { LogRow } from '../../store/log-row.ts';

/** Export file formats, as requested by `file_type` (bk-log knows `log` and `csv`; `json` is ours). */
export const EXPORT_FORMATS = ['log', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** Where a column's value comes from in a {@link LogRow}. */
export const COLUMN_SOURCES = ['time', 'message', 'id', 'ingestedAt', 'field'] as const;
export type ColumnSource = (typeof COLUMN_SOURCES)[number];

/** One exported column, resolved once per export by `resolveExportColumns`. */
export interface ExportColumn {
  /** The name users see (header cell, JSON key). */
  name: string;
  source: ColumnSource;
  /** Numbers in this column are epoch milliseconds and are written as ISO-8601 in the export's zone. */
  isDate: boolean;
}

/** Options shared by every format. */
export interface FormatOptions {
  columns: readonly ExportColumn[];
  /** IANA zone for formatted times (default `UTC`); stated in the manifest. */
  timeZone?: string;
  /** CSV only: prefix a UTF-8 byte order mark so Excel detects the encoding. Default false. */
  bom?: boolean;
  /** CSV only: neutralise spreadsheet formulas (see csv-format.ts). Default true. */
  formulaEscaping?: boolean;
}

/** Counters a format reports for the manifest. */
export interface EncoderStats {
  /** CSV cells that started with a formula character and were prefixed with `'`. */
  formulaCellsEscaped: number;
}

/**
 * Turns rows into text for one file (one part). Parts are independent, valid files:
 * `open()` + `row(r, 0)` + … + `row(r, n-1)` + `close(n)`. Encoders hold no per-part state,
 * so one encoder serves every part (and parallel slices) of an export; only `stats` accumulate.
 */
export interface RowEncoder {
  readonly format: ExportFormat;
  /** File extension without the dot. */
  readonly extension: string;
  readonly contentType: string;
  /** Text that starts a part: the CSV BOM and header, the JSON `[`. */
  open(): string;
  /** One row with its separator and terminator; `index` is its 0-based position in the part. */
  row(row: LogRow, index: number): string;
  /** Text that ends a part holding `rows` rows. */
  close(rows: number): string;
  stats(): EncoderStats;
}

/** A registry entry: static facts about a format plus its encoder constructor. */
export interface FormatFactory {
  readonly extension: string;
  readonly contentType: string;
  create(options: FormatOptions): RowEncoder;
}
