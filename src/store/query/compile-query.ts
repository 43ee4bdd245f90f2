import type { LiqeQuery } from 'liqe';
import { AppError } from '../../shared/app-error.ts';
import type { IndexSet } from '../index-set.ts';
import { containsPattern, hasWildcard, wildcardToLike } from './like-pattern.ts';
import { parseQuery } from './parse-query.ts';
import {
  type Bool, type Comparison, MATCH_ALL, MATCH_NONE, and, coerceValue, compare, isNotNull, isNull, like, not, or,
} from './predicates.ts';
import { type ResolvedField, isNumericField, messageField, resolveField } from './resolve-field.ts';
import type { SqlDialect } from './sql-dialect.ts';

type TagNode = Extract<LiqeQuery, { type: 'Tag' }>;
type Literal = Extract<TagNode['expression'], { type: 'LiteralExpression' }>;

const COMPARISONS: Record<string, Comparison> = { ':>': '>', ':>=': '>=', ':<': '<', ':<=': '<=' };

const badQuery = (message: string, details: Record<string, unknown> = {}): AppError =>
  new AppError('BAD_QUERY', message, { details });

class QueryCompiler {
  constructor(
    private readonly d: SqlDialect,
    private readonly indexSet: IndexSet,
    private readonly source: string,
  ) {}

  node(n: LiqeQuery): Bool {
    switch (n.type) {
      case 'EmptyExpression':
        return MATCH_ALL;
      case 'ParenthesizedExpression':
        return this.node(n.expression);
      case 'UnaryOperator':
        return not(this.node(n.operand));
      case 'LogicalExpression': {
        const parts = [this.node(n.left), this.node(n.right)];
        return n.operator.operator === 'OR' ? or(parts) : and(parts);
      }
      case 'Tag':
        return this.tag(n);
    }
  }

  /** Unquoted literals keep the user's spelling (`007` stays `007`, not the number 7). */
  private text(lit: Literal): string {
    if (typeof lit.value === 'string') return lit.value;
    return this.source.slice(lit.location.start, lit.location.end);
  }

  private tag(n: TagNode): Bool {
    const expr = n.expression;
    if (n.field.type === 'ImplicitField') {
      if (expr.type !== 'LiteralExpression') throw badQuery('Only words and phrases can be searched without a field name');
      const text = this.text(expr);
      if (!expr.quoted && /^\*+$/.test(text)) return MATCH_ALL;
      return like(this.d, messageField(this.indexSet), containsPattern(text, !expr.quoted));
    }
    const field = resolveField(this.indexSet, n.field.name);
    if (expr.type === 'EmptyExpression') throw badQuery(`Field "${field.name}" has no value`, { field: field.name });
    if (expr.type === 'RegexExpression') throw badQuery('Regular expressions are not supported', { field: field.name });
    if (expr.type === 'RangeExpression') {
      const { min, max, minInclusive, maxInclusive } = expr.range;
      if (!isNumericField(field)) throw badQuery(`Field "${field.name}" is not numeric: ranges need numbers`, { field: field.name });
      return and([
        compare(this.d, field, minInclusive ? '>=' : '>', coerceValue(field, min, 'BAD_QUERY')),
        compare(this.d, field, maxInclusive ? '<=' : '<', coerceValue(field, max, 'BAD_QUERY')),
      ]);
    }
    const op = COMPARISONS[n.operator.operator];
    if (op !== undefined) {
      const raw = expr.quoted ? expr.value : this.text(expr);
      return compare(this.d, field, op, coerceValue(field, raw, 'BAD_QUERY'));
    }
    return this.match(field, expr);
  }

  /** `field:value`: substring for text, wildcard or exact for keywords, equality otherwise. */
  private match(field: ResolvedField, lit: Literal): Bool {
    if (!lit.quoted && lit.value === null) return isNull(this.d, field);
    const text = this.text(lit);
    const wild = !lit.quoted && hasWildcard(text);
    if (wild && /^\*+$/.test(text)) return isNotNull(this.d, field);
    if (field.type === 'text') return like(this.d, field, containsPattern(text, !lit.quoted));
    if (wild) {
      if (field.type !== 'keyword') throw badQuery(`Wildcards need a text or keyword field, "${field.name}" is ${field.type}`, { field: field.name });
      return like(this.d, field, wildcardToLike(text));
    }
    const raw = lit.quoted || isNumericField(field) || field.type === 'boolean' ? lit.value : text;
    return compare(this.d, field, '=', coerceValue(field, raw, 'BAD_QUERY'));
  }
}

/**
 * Compiles a Lucene-like query string into one parameterised SQL predicate, validating every
 * field against the index set. Returns null when the query matches everything (blank or `*`).
 *
 * Semantics: a bare word or phrase is a case-insensitive substring of the message (`*`/`?` are
 * wildcards in bare words); `field:value` is a substring for text fields, an exact match for
 * keywords (wildcards allowed, case-insensitive), equality for numbers, dates and booleans;
 * `field:>n`, `field:[a TO b]` compare; `field:null` means missing; AND/OR/NOT/`-` and
 * parentheses combine.
 */
export function compileQuery(d: SqlDialect, indexSet: IndexSet, query: string | undefined): Bool | null {
  if (query === undefined || query.trim() === '') return null;
  const ast = parseQuery(query);
  const out = new QueryCompiler(d, indexSet, query).node(ast);
  return out === MATCH_ALL ? null : out === MATCH_NONE ? MATCH_NONE : out;
}
