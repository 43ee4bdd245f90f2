import type { IndexSet } from '../../store/index-set.ts';
import type { LogRow } from '../../store/log-row.ts';
import { AppError } from '../../shared/app-error.ts';
import type { ExportColumn } from './export-format.ts';

/** A cell before formatting: `undefined` means the row lacks the field. */
export type CellValue = string | number | boolean | null | undefined;

/**
 * Maps the requested field names (bk-log's `export_fields`) to columns, in the requested order.
 * Empty or absent = every field: time, message, then the declared fields. `id` and `ingestedAt`
 * (built-in) may be asked for by name. Unknown or duplicate names are rejected up front, so nothing
 * is written for a bad request.
 */
export function resolveExportColumns(indexSet: IndexSet, requested?: readonly string[]): ExportColumn[] {
  const declared = new Map(indexSet.fields.map((f) => [f.name, f]));
  const column = (name: string): ExportColumn | undefined => {
    if (name === indexSet.timeField) return { name, source: 'time', isDate: true };
    if (name === indexSet.messageField) return { name, source: 'message', isDate: false };
    const def = declared.get(name);
    if (def) return { name, source: 'field', isDate: def.type === 'date' };
    if (name === 'id') return { name, source: 'id', isDate: false };
    if (name === 'ingestedAt') return { name, source: 'ingestedAt', isDate: true };
    return undefined;
  };
  const names =
    requested && requested.length > 0
      ? requested
      : [indexSet.timeField, indexSet.messageField, ...indexSet.fields.map((f) => f.name)];
  const seen = new Set<string>();
  const columns: ExportColumn[] = [];
  for (const name of names) {
    if (seen.has(name)) {
      // The default list may repeat time/message when they are also declared; a user list may not.
      if (requested && requested.length > 0) {
        throw new AppError('VALIDATION_FAILED', `field "${name}" is listed twice`, { details: { field: name } });
      }
      continue;
    }
    const col = column(name);
    if (!col) throw new AppError('UNKNOWN_FIELD', `no field "${name}" in index set ${indexSet.id}`, { details: { field: name } });
    seen.add(name);
    columns.push(col);
  }
  return columns;
}

/** How each column source is read from a row; the value is raw (times are epoch ms). */
export const CELL_READERS: Record<ExportColumn['source'], (row: LogRow, name: string) => CellValue> = {
  time: (row) => row.ts,
  message: (row) => row.message,
  id: (row) => row.id,
  ingestedAt: (row) => row.ingestedAt,
  field: (row, name) => row.fields[name],
};

// Source kinds as small integers for the hot loop below.
const SOURCE_KIND: Record<ExportColumn['source'], number> = { field: 0, message: 1, time: 2, id: 3, ingestedAt: 4 };

/**
 * Compiles the column list into one function that reads a row's cells into `out` (reused, so no
 * allocation per row), with date columns already formatted by `formatTime`.
 *
 * Why not call CELL_READERS per cell: this runs for every cell of every exported row, and an
 * integer dispatch inlined in one loop measured ~20% faster than a polymorphic closure call.
 * CELL_READERS stays the readable definition; the test suite checks both agree.
 */
export function compileCellReader(
  columns: readonly ExportColumn[],
  formatTime: (epochMs: number) => string,
): (row: LogRow, out: CellValue[]) => void {
  const kinds = Uint8Array.from(columns, (c) => SOURCE_KIND[c.source]);
  const names = columns.map((c) => c.name);
  const dates = columns.map((c) => c.isDate);
  const n = columns.length;
  return (row, out) => {
    const fields = row.fields;
    for (let i = 0; i < n; i++) {
      const k = kinds[i];
      const v: CellValue =
        k === 0 ? fields[names[i]!] : k === 1 ? row.message : k === 2 ? row.ts : k === 3 ? row.id : row.ingestedAt;
      out[i] = dates[i] && typeof v === 'number' ? formatTime(v) : v;
    }
  };
}
