import type { LogRow } from '../../store/log-row.ts';
import { compileCellReader, type CellValue } from './export-columns.ts';
import type { FormatFactory, FormatOptions, RowEncoder } from './export-format.ts';
import { createTimeFormatter } from './time-formatter.ts';


/** Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection list). */
export const FORMULA_START_CHARS = ['=', '+', '-', '@', '\t', '\r', '\n'] as const;
// A lookup table: one array read per cell instead of a Set lookup.
const FORMULA_START = new Uint8Array(128);
for (const c of FORMULA_START_CHARS) FORMULA_START[c.charCodeAt(0)] = 1;

/** Byte order mark: lets Excel open UTF-8 correctly; off by default because it is a stray character to csv libraries. */
export const UTF8_BOM = '\ufeff';

/** Characters that make an RFC 4180 field need quotes. One native regex test beats a char loop. */
const NEEDS_QUOTES = /[,"\r\n]/;

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; embedded quotes are doubled. */
export function quoteCsvField(s: string): string {
  if (!NEEDS_QUOTES.test(s)) return s;
  return s.includes('"') ? `"${s.replaceAll('"', '""')}"` : `"${s}"`;
}

/**
 * A real CSV writer (RFC 4180). bk-log's `csv` file type only renamed the extension of NDJSON
 * output; we write CSV that spreadsheets and csv libraries read as the exported table:
 *
 * - a header row of the exported field names, then one record per row;
 * - CRLF after every record (including the last); fields quoted only when they contain a comma,
 *   a double quote, CR or LF, with embedded quotes doubled; newlines inside messages are kept
 *   inside the quotes;
 * - UTF-8; a BOM only when `bom: true` (for Excel users: Excel guesses a legacy code page without it);
 * - missing values and nulls are empty cells; booleans `true`/`false`; date columns ISO-8601 in the
 *   export's time zone;
 * - formula-injection escaping (on unless `formulaEscaping: false`): a text cell whose first
 *   character is `=`, `+`, `-`, `@`, TAB, CR or LF gets a leading `'`, which spreadsheets show as
 *   text and do not evaluate. Numeric cells are exempt (`-5` stays a number). The prefix is visible to
 *   non-spreadsheet consumers, so the count of altered cells is reported in the manifest.
 */
export function createCsvEncoder(options: FormatOptions): RowEncoder {
  const escapeFormulas = options.formulaEscaping ?? true;
  const columns = options.columns;
  const n = columns.length;
  const readCells = compileCellReader(columns, createTimeFormatter(options.timeZone));
  const cells: CellValue[] = new Array<CellValue>(n);
  let formulaCellsEscaped = 0;

  const text = (s: string, isData = true): string => {
    if (escapeFormulas && FORMULA_START[s.charCodeAt(0)] === 1) {
      if (isData) formulaCellsEscaped++;
      return quoteCsvField(`'${s}`);
    }
    return quoteCsvField(s);
  };
  const cell = (v: CellValue): string => {
    if (typeof v === 'string') return text(v);
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return '';
  };
  const header = columns.map((c) => text(c.name, false)).join(',') + '\r\n';

  return {
    format: 'csv',
    extension: 'csv',
    contentType: 'text/csv; charset=utf-8',
    open: () => (options.bom ? UTF8_BOM + header : header),
    row(row: LogRow): string {
      readCells(row, cells);
      let line = n > 0 ? cell(cells[0]) : '';
      for (let i = 1; i < n; i++) line += ',' + cell(cells[i]);
      return line + '\r\n';
    },
    close: () => '',
    stats: () => ({ formulaCellsEscaped }),
  };
}

export const csvFormat: FormatFactory = {
  extension: 'csv',
  contentType: 'text/csv; charset=utf-8',
  create: createCsvEncoder,
};
