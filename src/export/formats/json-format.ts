import type { LogRow } from '../../store/log-row.ts';
import type { FormatFactory, FormatOptions, RowEncoder } from './export-format.ts';
import { compileJsonObject } from './ndjson-format.ts';

/**
 * `json`: one JSON array per part, written as a stream (`[`, objects separated by `,`, `]`), so
 * it never needs the whole result in memory and is valid JSON for 0 rows (`[]`). One object per
 * line keeps it greppable.
 */
export function createJsonEncoder(options: FormatOptions): RowEncoder {
  const object = compileJsonObject(options);
  return {
    format: 'json',
    extension: 'json',
    contentType: 'application/json; charset=utf-8',
    open: () => '[',
    row: (row: LogRow, index: number) => (index === 0 ? '\n' : ',\n') + object(row),
    close: (rows: number) => (rows === 0 ? ']\n' : '\n]\n'),
    stats: () => ({ formulaCellsEscaped: 0 }),
  };
}

export const jsonFormat: FormatFactory = {
  extension: 'json',
  contentType: 'application/json; charset=utf-8',
  create: createJsonEncoder,
};
