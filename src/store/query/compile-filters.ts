import { AppError } from '../../shared/app-error.ts';
import type { IndexSet } from '../index-set.ts';
import { FILTER_OPERATORS, type FieldFilter, type FilterOperator } from '../search-request.ts';
import { containsPattern } from './like-pattern.ts';
import { type Bool, and, coerceValue, compare, like, not, or } from './predicates.ts';
import { type ResolvedField, resolveField } from './resolve-field.ts';
import type { Scalar, SqlDialect } from './sql-dialect.ts';

type OperatorCompiler = (d: SqlDialect, field: ResolvedField, values: Scalar[], raw: Scalar[]) => Bool;

const anyEqual: OperatorCompiler = (d, f, values) => or(values.map((v) => compare(d, f, '=', v)));
const anyContains: OperatorCompiler = (d, f, _values, raw) => or(raw.map((v) => like(d, f, containsPattern(String(v), false))));
const single = (op: '>' | '<' | '>=' | '<='): OperatorCompiler => (d, f, values) => and(values.map((v) => compare(d, f, op, v)));

/**
 * bk-log's addition operators. A list value with `is`/`contains` means "any of", with
 * `is not`/`not contains` "none of". `contains` is a case-insensitive substring of the value's
 * text whatever the field type, so it takes the raw value uncoerced.
 */
const OPERATORS: Record<FilterOperator, OperatorCompiler> = {
  'is': anyEqual,
  'is one of': anyEqual,
  'is not': (d, f, v, r) => not(anyEqual(d, f, v, r)),
  'contains': anyContains,
  'not contains': (d, f, v, r) => not(anyContains(d, f, v, r)),
  '>': single('>'),
  '<': single('<'),
  '>=': single('>='),
  '<=': single('<='),
};

function invalid(message: string, details: Record<string, unknown>): AppError {
  return new AppError('VALIDATION_FAILED', message, { details });
}

function compileFilter(d: SqlDialect, indexSet: IndexSet, filter: FieldFilter): Bool {
  const field = resolveField(indexSet, filter.field);
  const op = filter.operator;
  if (!(FILTER_OPERATORS as readonly string[]).includes(op)) {
    throw invalid(`Unknown filter operator ${JSON.stringify(op)}`, { field: filter.field, operator: op });
  }
  const raw: unknown[] = Array.isArray(filter.value) ? filter.value : [filter.value];
  if (raw.length === 0) throw invalid(`Filter on "${filter.field}" has an empty value list`, { field: filter.field });
  if (raw.length > 1 && ['>', '<', '>=', '<='].includes(op)) {
    throw invalid(`Operator ${op} takes one value`, { field: filter.field, operator: op });
  }
  const scalars = raw.map((v) => {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw invalid(`Filter on "${filter.field}" has a value that is not a string, number or boolean`, { field: filter.field });
    }
    return v;
  });
  const needsCoercion = op !== 'contains' && op !== 'not contains';
  const values = needsCoercion ? scalars.map((v) => coerceValue(field, v, 'VALIDATION_FAILED')) : scalars;
  return OPERATORS[op](d, field, values, scalars);
}

/** Compiles `addition` into one predicate (all filters must hold), or null when there are none. */
export function compileFilters(d: SqlDialect, indexSet: IndexSet, filters: FieldFilter[] | undefined): Bool | null {
  if (filters === undefined || filters.length === 0) return null;
  return and(filters.map((f) => compileFilter(d, indexSet, f)));
}
