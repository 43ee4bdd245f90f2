import { describe, expect, it } from 'vitest';
import type { LogRow } from '../../store/log-row.ts';
import { CELL_READERS, compileCellReader, type CellValue } from './export-columns.ts';
import { COLUMN_SOURCES, type ExportColumn } from './export-format.ts';

const row: LogRow = {
  id: '90071992547409931',
  indexSetId: 1,
  ts: 1_700_000_000_000,
  ingestedAt: 1_700_000_000_321,
  message: 'msg',
  fields: { a: 'x', b: 2, c: false, d: null, when: 1_600_000_000_000 },
};

describe('compileCellReader', () => {
  it('reads every source like CELL_READERS, formatting only date columns that hold numbers', () => {
    const columns: ExportColumn[] = [
      ...COLUMN_SOURCES.map((source) => ({ name: source === 'field' ? 'a' : source, source, isDate: false })),
      { name: 'b', source: 'field', isDate: false },
      { name: 'c', source: 'field', isDate: false },
      { name: 'd', source: 'field', isDate: true },
      { name: 'missing', source: 'field', isDate: false },
      { name: 'when', source: 'field', isDate: true },
      { name: 'ts', source: 'time', isDate: true },
      { name: 'a', source: 'field', isDate: true }, // a string in a date column stays as it is
    ];
    const out: CellValue[] = [];
    compileCellReader(columns, (ms) => `T${ms}`)(row, out);
    const expected = columns.map((c) => {
      const v = CELL_READERS[c.source](row, c.name);
      return c.isDate && typeof v === 'number' ? `T${v}` : v;
    });
    expect(out).toEqual(expected);
    expect(out).toEqual([1_700_000_000_000, 'msg', '90071992547409931', 1_700_000_000_321, 'x', 2, false, null, undefined, 'T1600000000000', 'T1700000000000', 'x']);
  });
});
