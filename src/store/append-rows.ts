import { AppError } from '../shared/app-error.ts';
import type { NewLogRow } from './log-row.ts';

const NUL = '\u0000';
const NUL_RUN = /\u0000/g;
const withoutNul = (text: string): string => (text.includes(NUL) ? text.replace(NUL_RUN, '\uFFFD') : text);

/** Allocation-free: runs for every ingested row. */
function hasNul(row: NewLogRow): boolean {
  if (row.message.includes(NUL)) return true;
  for (const key in row.fields) {
    const v = row.fields[key];
    if (typeof v === 'string' && v.includes(NUL)) return true;
  }
  return false;
}

/**
 * Checks rows before anything is written, so a bad batch writes nothing, and returns them ready to
 * store. Timestamps are truncated to whole milliseconds later (both stores keep integers).
 *
 * U+0000 in a message or a string field becomes U+FFFD in every store: PostgreSQL's text and jsonb
 * cannot hold it, and one such line (binary garbage in a log file happens) used to fail its whole
 * batch there. Doing it here keeps both stores returning the same rows. Rows without NUL are
 * returned as they are.
 */
export function prepareNewRows(rows: NewLogRow[]): NewLogRow[] {
  checkNewRows(rows);
  let out: NewLogRow[] | undefined;
  rows.forEach((r, i) => {
    if (!hasNul(r)) return;
    const fields: NewLogRow['fields'] = {};
    for (const [k, v] of Object.entries(r.fields)) fields[k] = typeof v === 'string' ? withoutNul(v) : v;
    out ??= [...rows];
    out[i] = { ...r, message: withoutNul(r.message), fields };
  });
  return out ?? rows;
}

function checkNewRows(rows: NewLogRow[]): void {
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
