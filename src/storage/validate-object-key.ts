import { AppError } from '../shared/app-error.ts';

/** Longest key we accept: S3's own limit is 1024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

/**
 * Returns why `key` is not a safe relative object key, or `null` if it is. Rules, shared by every
 * backend so that a key that is safe on S3 is also safe as a path under a local folder (and vice
 * versa): non-empty, at most 1024 bytes, no leading `/`, no backslash (a separator on Windows/SMB
 * shares), no control characters (NUL truncates paths in C APIs), no empty, `.` or `..` segment,
 * and no segment ending in `.tmp-upload` (reserved for the local backend's temp files).
 */
export function objectKeyProblem(key: string): string | null {
  if (key.length === 0) return 'is empty';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `is longer than ${MAX_KEY_BYTES} bytes`;
  if (key.startsWith('/')) return 'is an absolute path';
  if (key.includes('\\')) return 'contains a backslash';
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'contains a control character';
  for (const segment of key.split('/')) {
    if (segment === '') return 'contains an empty path segment';
    if (segment === '.' || segment === '..') return `contains a "${segment}" segment`;
    if (segment.endsWith(TEMP_SUFFIX)) return `uses the reserved suffix ${TEMP_SUFFIX}`;
  }
  return null;
}

/** Suffix of the local backend's in-progress files; never a valid key, so never listed. */
export const TEMP_SUFFIX = '.tmp-upload';

/**
 * Throws `AppError('VALIDATION_FAILED')` unless `key` is a safe relative object key
 * (see {@link objectKeyProblem}). Called by every backend before any I/O.
 */
export function validateObjectKey(key: string): string {
  const problem = objectKeyProblem(key);
  if (problem !== null) {
    throw new AppError('VALIDATION_FAILED', `Object key ${problem}`, { details: { field: 'key', key } });
  }
  return key;
}

/**
 * Checks a `list` prefix: `''` (everything) or a string that would start a valid key. A trailing
 * `/` ("exports/") is allowed; everything else obeys the key rules.
 */
export function validateListPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const problem = objectKeyProblem(prefix.endsWith('/') ? `${prefix}x` : prefix);
  if (problem !== null) {
    throw new AppError('VALIDATION_FAILED', `List prefix ${problem}`, { details: { field: 'prefix', prefix } });
  }
  return prefix;
}
