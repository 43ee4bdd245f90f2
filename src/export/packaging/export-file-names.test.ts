import { describe, expect, it } from 'vitest';
import { archiveFileName, exportBaseName } from './export-file-names.ts';

const at = new Date(Date.UTC(2026, 10, 23, 9, 5, 7));

describe('export file names', () => {
  it('follows bk-log for single and union exports', () => {
    expect(exportBaseName({ indexSetId: 12, at, random: 'AbCdE12345' })).toBe('bk_log_search_12_20261123090507_AbCdE12345');
    expect(exportBaseName({ at, random: 'AbCdE12345' })).toBe('bk_log_search_20261123090507_AbCdE12345');
    expect(exportBaseName({ appCode: 'bk-log-search', indexSetId: 1, at, random: 'x' })).toBe('bk_log_search_1_20261123090507_x');
    expect(archiveFileName('bk_log_search_1_20261123090507_x')).toBe('bk_log_search_1_20261123090507_x.tar.gz');
  });

  it('draws a 10-character alphanumeric suffix that differs between calls', () => {
    const a = exportBaseName({ at });
    const b = exportBaseName({ at });
    expect(a).toMatch(/^bk_log_search_20261123090507_[A-Za-z0-9]{10}$/);
    expect(a).not.toBe(b);
  });

  it('cannot be steered into a path', () => {
    expect(exportBaseName({ appCode: '../../x', at, random: '../y' })).toBe('_._x_20261123090507_._y');
  });
});
