import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import { contentDisposition } from './content-disposition.ts';
import { BAD_KEYS } from './object-storage.conformance.ts';
import { objectKeyProblem, validateListPrefix, validateObjectKey } from './validate-object-key.ts';

describe('validateObjectKey', () => {
  it.each(['a.tar.gz', 'exports/2026/11/23/task-42.tar.gz', 'spaces are fine.txt', '日志/导出.tar.gz', '.hidden', 'a..b', '...'])(
    'accepts %j', (key) => {
      expect(validateObjectKey(key)).toBe(key);
    });

  it.each(BAD_KEYS.map((k) => [k]))('rejects %j with VALIDATION_FAILED', (key) => {
    expect(objectKeyProblem(key)).not.toBeNull();
    let thrown: unknown;
    try {
      validateObjectKey(key);
    } catch (err) {
      thrown = err;
    }
    expect(isAppError(thrown, 'VALIDATION_FAILED')).toBe(true);
  });

  it('measures the length limit in UTF-8 bytes, as S3 does', () => {
    expect(objectKeyProblem('日'.repeat(341))).toBeNull(); // 1023 bytes
    expect(objectKeyProblem('日'.repeat(342))).toMatch(/longer/); // 1026 bytes
  });

  it('accepts list prefixes that start a valid key and refuses escaping ones', () => {
    for (const ok of ['', 'exports/', 'exports/2026', 'a/b/']) expect(validateListPrefix(ok)).toBe(ok);
    for (const bad of ['/', '/exports', '../', 'a/../', 'a//', 'a\\b', '..']) {
      expect(() => validateListPrefix(bad), bad).toThrow(/List prefix/);
    }
  });
});

describe('contentDisposition', () => {
  it('offers an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('导出 42.tar.gz')).toBe(
      `attachment; filename="__ 42.tar.gz"; filename*=UTF-8''%E5%AF%BC%E5%87%BA%2042.tar.gz`,
    );
  });

  it('cannot be used to inject header syntax or a directory', () => {
    expect(contentDisposition('../../etc/x"; evil=1\r\nSet-Cookie: a=b.csv')).toBe(
      `attachment; filename="x; evil=1Set-Cookie: a=b.csv"; filename*=UTF-8''x%3B%20evil%3D1Set-Cookie%3A%20a%3Db.csv`,
    );
    expect(contentDisposition('..\\..\\win.ini')).toContain('filename="win.ini"');
    expect(contentDisposition('')).toContain('filename="download"');
  });
});
