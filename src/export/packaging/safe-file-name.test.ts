import { describe, expect, it } from 'vitest';
import { assertSafeFileName, sanitizeFileName } from './safe-file-name.ts';

describe('sanitizeFileName', () => {
  it.each([
    ['bk_log_search_12_20260101120000_AbC.tar.gz', 'bk_log_search_12_20260101120000_AbC.tar.gz'],
    ['../../etc/passwd', '_._etc_passwd'],
    ['a/b\\c', 'a_b_c'],
    ['..', 'export'],
    ['.hidden', 'hidden'],
    ['-rf', 'rf'],
    ['x\0y z', 'x_y_z'],
    ['日志.csv', '__.csv'],
    ['a...b', 'a.b'],
    ['', 'export'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('caps the length', () => {
    expect(sanitizeFileName('a'.repeat(500))).toHaveLength(200);
  });

  it('asserts names that need no change', () => {
    expect(() => assertSafeFileName('ok_part0001.csv')).not.toThrow();
    for (const bad of ['../x', 'a/b', '..', '', '.x', 'a b']) {
      expect(() => assertSafeFileName(bad), bad).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });
});
