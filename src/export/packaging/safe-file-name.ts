import { AppError } from '../../shared/app-error.ts';

/** Longest name we produce; tar's ustar field is 100 bytes; tar-format.ts writes a PAX record beyond it. */
export const MAX_FILE_NAME_LENGTH = 200;

/**
 * Makes a string safe as a single file name on any platform and as a tar entry: only
 * `A-Z a-z 0-9 . _ -` survive (everything else, including `/`, `\`, NUL and spaces, becomes `_`),
 * runs of dots collapse to one (no `..`), no leading dot or dash (no hidden files, no option-like
 * names), at most {@link MAX_FILE_NAME_LENGTH} characters. Never returns an empty string.
 */
export function sanitizeFileName(name: string, fallback = 'export'): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+/, '')
    .slice(0, MAX_FILE_NAME_LENGTH);
  return cleaned === '' ? fallback : cleaned;
}

/** Rejects (VALIDATION_FAILED) a name that {@link sanitizeFileName} would change: path-like or odd names. */
export function assertSafeFileName(name: string): void {
  if (typeof name !== 'string' || name === '' || sanitizeFileName(name) !== name) {
    throw new AppError('VALIDATION_FAILED', `"${String(name)}" is not an allowed file name`, {
      details: { field: 'file_name', value: name },
    });
  }
}
