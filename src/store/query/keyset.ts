import { sql, type Expression, type SqlBool } from 'kysely';
import { AppError } from '../../shared/app-error.ts';
import type { IndexSet } from '../index-set.ts';
import type { LogRow } from '../log-row.ts';
import type { SearchRequest, SortOrder } from '../search-request.ts';
import { type Bool, MATCH_NONE, and, coerceValue, isNotNull, isNull, or } from './predicates.ts';
import { type ResolvedField, isNumericField, resolveField } from './resolve-field.ts';
import type { Scalar, SqlDialect } from './sql-dialect.ts';

export type SortValue = string | number | boolean | null;

export interface SortKey {
  field: ResolvedField;
  order: SortOrder;
}

const ORDERS: readonly string[] = ['asc', 'desc'] satisfies SortOrder[];

/**
 * The effective sort: the request's `sortList` (default: time descending) with the row id
 * appended as the unique tiebreaker, in the direction of the last key so the common
 * `(ts, id)` suffix can use one row-value comparison and the (index_set_id, ts, id) index.
 */
export function sortKeys(indexSet: IndexSet, request: SearchRequest): SortKey[] {
  const list = request.sortList === undefined || request.sortList.length === 0
    ? [[indexSet.timeField, 'desc'] as const]
    : request.sortList;
  const keys: SortKey[] = [];
  for (const entry of list) {
    const [name, order] = entry;
    if (!ORDERS.includes(order)) {
      throw new AppError('VALIDATION_FAILED', `Sort order must be asc or desc, got ${JSON.stringify(order)}`, { details: { field: name } });
    }
    const field = resolveField(indexSet, name);
    keys.push({ field, order });
    if (field.location.kind === 'column' && field.location.column === 'id') return keys;
  }
  const last = keys[keys.length - 1]?.order ?? 'desc';
  keys.push({ field: resolveField(indexSet, 'id'), order: last });
  return keys;
}

/** ORDER BY items: NULLs sort as the largest value (last ascending, first descending). */
export function orderByItems(d: SqlDialect, keys: SortKey[]): Expression<unknown>[] {
  return keys.map(({ field, order }) => {
    const e = d.collate(field, d.value(field));
    const dir = sql.raw(order === 'asc' ? 'ASC' : 'DESC');
    if (!field.nullable) return sql`${e} ${dir}`;
    return sql`${e} ${dir} ${sql.raw(order === 'asc' ? 'NULLS LAST' : 'NULLS FIRST')}`;
  });
}

const COLUMN_PROPERTY = { id: 'id', ts: 'ts', ingested_at: 'ingestedAt', message: 'message' } as const;

type SortValueReader = (row: LogRow) => SortValue;

function sortValueReader(field: ResolvedField): SortValueReader {
  const loc = field.location;
  if (loc.kind === 'column') {
    const property = COLUMN_PROPERTY[loc.column];
    return (row) => row[property];
  }
  const key = loc.key;
  if (isNumericField(field)) return (row) => (typeof row.fields[key] === 'number' ? (row.fields[key] as number) : null);
  if (field.type === 'boolean') return (row) => (typeof row.fields[key] === 'boolean' ? (row.fields[key] as boolean) : null);
  return (row) => {
    const v = row.fields[key];
    return v === undefined || v === null ? null : String(v);
  };
}

/**
 * Compiles the keys into a function giving a row's cursor: the sort key values as the store
 * compares them, then the id. Compiled once per plan because streams call it for every row.
 */
export function compileSortValues(keys: SortKey[]): (row: LogRow) => SortValue[] {
  const readers = keys.map(({ field }) => sortValueReader(field));
  const [a, b] = readers;
  // The default sort (time, id) and any one-field sort plus id: no loop, no closure per row.
  if (readers.length === 2 && a !== undefined && b !== undefined) return (row) => [a(row), b(row)];
  return (row) => readers.map((read) => read(row));
}

/** Validates a client-supplied cursor against the sort keys. */
export function parseCursor(keys: SortKey[], cursor: SearchRequest['searchAfter']): Array<Scalar | null> | undefined {
  if (cursor === undefined) return undefined;
  if (!Array.isArray(cursor) || cursor.length !== keys.length) {
    throw new AppError('VALIDATION_FAILED', `searchAfter must have ${keys.length} values (the sort fields, then the id)`, {
      details: { expected: keys.length },
    });
  }
  return keys.map(({ field }, i) => {
    const v = cursor[i];
    if (v === null || v === undefined) {
      if (field.nullable) return null;
      throw new AppError('VALIDATION_FAILED', `searchAfter value for "${field.name}" cannot be null`, { details: { field: field.name } });
    }
    return coerceValue(field, v, 'VALIDATION_FAILED');
  });
}

/**
 * Rows strictly after the cursor in the sort order. A trailing run of non-null keys in one
 * direction becomes one row-value comparison (index friendly); before it, each key expands to
 * `after(k) OR (k = c AND after(rest))` with NULL handled as the largest value.
 */
export function keysetPredicate(d: SqlDialect, keys: SortKey[], cursor: Array<Scalar | null>): Bool {
  const build = (i: number): Bool => {
    const tail = keys.slice(i);
    const first = tail[0];
    if (first === undefined) return MATCH_NONE;
    if (tail.every((k) => !k.field.nullable && k.order === first.order)) {
      const lhs = tail.map((k) => d.collate(k.field, d.value(k.field)));
      const rhs = tail.map((k, j) => d.collate(k.field, d.bind(k.field, cursor[i + j] as Scalar)));
      return sql<SqlBool>`((${sql.join(lhs)}) ${sql.raw(first.order === 'asc' ? '>' : '<')} (${sql.join(rhs)}))`;
    }
    const { field, order } = first;
    const c = cursor[i] ?? null;
    const value = d.collate(field, d.value(field));
    const bound = c === null ? null : d.collate(field, d.bind(field, c));
    let after: Bool;
    if (bound === null) after = order === 'asc' ? MATCH_NONE : isNotNull(d, field);
    else {
      const strict = sql<SqlBool>`(${value} ${sql.raw(order === 'asc' ? '>' : '<')} ${bound})`;
      after = order === 'asc' && field.nullable ? or([strict, isNull(d, field)]) : strict;
    }
    const equal = bound === null ? isNull(d, field) : sql<SqlBool>`(${value} = ${bound})`;
    return or([after, and([equal, build(i + 1)])]);
  };
  return build(0);
}
