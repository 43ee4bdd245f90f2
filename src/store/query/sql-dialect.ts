import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectKind } from '../../db/database-target.ts';
import { type ResolvedField, isNumericField } from './resolve-field.ts';

export type Scalar = string | number | boolean;

/**
 * What differs between SQLite and PostgreSQL when compiling a search: how a JSON field is read,
 * how values are bound, case-insensitive LIKE, and text ordering. Everything else (boolean
 * structure, keyset logic, paging) is shared. Every value goes out as a bound parameter.
 */
export interface SqlDialect {
  /** The field's value for comparison and sorting (typed: numeric, boolean or text). */
  value(field: ResolvedField): Expression<unknown>;
  /** The field's value as text, for substring matching. */
  text(field: ResolvedField): Expression<unknown>;
  /** A bound parameter of the field's comparison type (caller has coerced `v`). */
  bind(field: ResolvedField, v: Scalar): Expression<unknown>;
  /** Case-insensitive LIKE with `\` as the escape character. */
  ilike(expr: Expression<unknown>, pattern: string): RawBuilder<SqlBool>;
  /** Wraps a text expression so comparisons and ORDER BY agree on a byte-wise order. */
  collate(field: ResolvedField, expr: Expression<unknown>): Expression<unknown>;
}

const column = (field: ResolvedField): RawBuilder<unknown> | null =>
  field.location.kind === 'column' ? sql.ref(field.location.column) : null;

const jsonKey = (field: ResolvedField): string => (field.location.kind === 'json' ? field.location.key : '');

const sqlite: SqlDialect = {
  value: (f) => column(f) ?? sql`json_extract(fields, ${`$."${jsonKey(f)}"`})`,
  text: (f) => column(f) ?? sql`json_extract(fields, ${`$."${jsonKey(f)}"`})`,
  bind: (f, v) => {
    if (f.location.kind === 'column' && f.location.column === 'id') return sql.val(BigInt(v as string | number));
    if (typeof v === 'boolean') return sql.val(v ? 1 : 0);
    return sql.val(v);
  },
  // ASCII-case-insensitive, SQLite's LIKE default.
  ilike: (e, p) => sql<SqlBool>`${e} LIKE ${p} ESCAPE '\\'`,
  collate: (_f, e) => e,
};

const pgJsonValue = (f: ResolvedField): RawBuilder<unknown> => {
  const key = jsonKey(f);
  if (isNumericField(f)) {
    // A guard instead of a bare cast: one mistyped value must not fail the whole query.
    return sql`(CASE WHEN jsonb_typeof(fields -> ${key}::text) = 'number' THEN (fields ->> ${key}::text)::numeric END)`;
  }
  if (f.type === 'boolean') {
    return sql`(CASE WHEN jsonb_typeof(fields -> ${key}::text) = 'boolean' THEN (fields ->> ${key}::text)::boolean END)`;
  }
  return sql`(fields ->> ${key}::text)`;
};

const postgres: SqlDialect = {
  value: (f) => column(f) ?? pgJsonValue(f),
  text: (f) => column(f) ?? sql`(fields ->> ${jsonKey(f)}::text)`,
  bind: (f, v) => {
    if (f.location.kind === 'column' && f.location.column !== 'message') return sql`${String(v)}::bigint`;
    if (isNumericField(f)) return sql`${String(v)}::numeric`;
    if (f.type === 'boolean') return sql`${Boolean(v)}::boolean`;
    return sql`${String(v)}::text`;
  },
  ilike: (e, p) => sql<SqlBool>`${e} ILIKE ${p}`,
  collate: (f, e) => (isNumericField(f) || f.type === 'boolean' ? e : sql`(${e} COLLATE "C")`),
};

/** The dialect registry. */
export const SQL_DIALECTS: Record<DialectKind, SqlDialect> = { sqlite, postgres };
