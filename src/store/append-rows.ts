import { AppError } from '../shared/app-error.ts';
import type { NewLogRow } from './log-row.ts';

/**
 * Checks rows before anything is written, so a bad batch writes nothing. Timestamps are
 * truncated to whole milliseconds (both stores keep integers).
 */
export function checkNewRows(rows: NewLogRow[]): void {
  rows.forEach((r, i) => {
    if (typeof r.ts !== 'number' || !Number.isFinite(r.ts)) {
      throw new AppError('VALIDATION_FAILED', `Row ${i}: ts must be epoch milliseconds`, { details: { row: i } });
    }
    if (typeof r.message !== 'string') {
      throw new AppError('VALIDATION_FAILED', `Row ${i}: message must be a string`, { details: { row: i } });
    }
    if (r.fields === null || typeof r.fields !== 'object' || Array.isArray(r.fields)) {
      throw new AppError('VALIDATION_FAILED', `Row ${i}: fields must be an object`, { details: { row: i } });
    }
  });
}

/** deleteRows' cut-off must be epoch milliseconds when given. */
export function checkCutoff(olderThan: number | undefined): void {
  if (olderThan !== undefined && (typeof olderThan !== 'number' || !Number.isFinite(olderThan))) {
    throw new AppError('VALIDATION_FAILED', 'olderThan must be epoch milliseconds', { details: { olderThan } });
  }
}
