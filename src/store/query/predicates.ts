import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { AppError } from '../../shared/app-error.ts';
import type { ErrorCode } from '../../shared/error-codes.ts';
import { type ResolvedField, isNumericField } from './resolve-field.ts';
import type { Scalar, SqlDialect } from './sql-dialect.ts';

export type Comparison = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type Bool = RawBuilder<SqlBool>;

/** Always-true; used for `*` and empty queries. */
export const MATCH_ALL: Bool = sql<SqlBool>`(1 = 1)`;
export const MATCH_NONE: Bool = sql<SqlBool>`(1 = 0)`;

export const and = (parts: Expression<SqlBool>[]): Bool =>
  parts.length === 0 ? MATCH_ALL : sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
export const or = (parts: Expression<SqlBool>[]): Bool =>
  parts.length === 0 ? MATCH_NONE : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
/** NOT that treats "unknown" (a missing field) as false first, so `NOT level:x` keeps rows without `level`. */
export const not = (e: Expression<SqlBool>): Bool => sql<SqlBool>`(NOT COALESCE(${e}, ${MATCH_NONE}))`;

const INTEGER_COLUMNS = new Set(['id', 'ts', 'ingested_at']);

/**
 * Coerces a user value to the field's comparison type, or throws `code` (BAD_QUERY for the
 * query string, VALIDATION_FAILED for structured filters) naming the field.
 */
export function coerceValue(field: ResolvedField, raw: unknown, code: ErrorCode): Scalar {
  const fail = (why: string): never => {
    throw new AppError(code, `Field "${field.name}" ${why}, got ${JSON.stringify(raw)}`, { details: { field: field.name } });
  };
  if (isNumericField(field)) {
    let n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (Number.isNaN(n) && field.type === 'date' && typeof raw === 'string') n = Date.parse(raw);
    if (!Number.isFinite(n)) fail('expects a number');
    const integral = field.location.kind === 'column' && INTEGER_COLUMNS.has(field.location.column);
    if (integral && !Number.isSafeInteger(n)) {
      // ids may pass 2^53: keep their digits as given.
      if (field.location.kind === 'column' && field.location.column === 'id' && /^\d+$/.test(String(raw))) return String(raw);
      fail('expects an integer');
    }
    return n;
  }
  if (field.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    return fail('expects true or false');
  }
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return fail('expects a string');
}

/** `field <op> value`, value already coerced. Text comparisons are byte-wise in both dialects. */
export function compare(d: SqlDialect, field: ResolvedField, op: Comparison, v: Scalar): Bool {
  return sql<SqlBool>`(${d.collate(field, d.value(field))} ${sql.raw(op)} ${d.collate(field, d.bind(field, v))})`;
}

export const isNull = (d: SqlDialect, field: ResolvedField): Bool => sql<SqlBool>`(${d.value(field)} IS NULL)`;
export const isNotNull = (d: SqlDialect, field: ResolvedField): Bool => sql<SqlBool>`(${d.value(field)} IS NOT NULL)`;

/** Case-insensitive LIKE over the field's text form. */
export const like = (d: SqlDialect, field: ResolvedField, pattern: string): Bool => d.ilike(d.text(field), pattern);
