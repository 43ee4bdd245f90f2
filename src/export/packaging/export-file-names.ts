import { randomInt } from 'node:crypto';
import { sanitizeFileName } from './safe-file-name.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** bk-log's `ASYNC_APP_CODE`: the app code with `-` replaced by `_`. */
export const DEFAULT_APP_CODE = 'bk_log_search';

function stamp(at: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(at.getUTCFullYear(), 4)}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}`;
}

/**
 * bk-log's archive base name (§1.6): single `{app}_{indexSetId}_{YYYYMMDDHHmmss}_{random10}`,
 * union `{app}_{YYYYMMDDHHmmss}_{random10}`. The timestamp is UTC (bk-log used server local time);
 * the random suffix is 10 characters of `[A-Za-z0-9]` from a CSPRNG, so names are not guessable.
 * Always a safe file name.
 */
export function exportBaseName(options: { appCode?: string; indexSetId?: number | null; at?: Date; random?: string } = {}): string {
  const random = options.random ?? Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const app = (options.appCode ?? DEFAULT_APP_CODE).replaceAll('-', '_');
  const set = options.indexSetId === undefined || options.indexSetId === null ? '' : `_${options.indexSetId}`;
  return sanitizeFileName(`${app}${set}_${stamp(options.at ?? new Date())}_${random}`);
}

/** `<base>.tar.gz`. */
export function archiveFileName(baseName: string): string {
  return `${sanitizeFileName(baseName)}.tar.gz`;
}
