import { parse, type LiqeQuery } from 'liqe';
import { AppError } from '../../shared/app-error.ts';

// Characters with meaning in the query grammar. A bare word with none of these that liqe still
// rejects (`user_id=5`, `it's`, `';`) is a search term, not a syntax error.
const STRUCTURE = /["():\\]/;
const OPERATORS = /^(AND|OR|NOT)$/;

function tryParse(query: string): LiqeQuery | Error {
  try {
    return parse(query);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * Parses a Lucene-like query with liqe. liqe's grammar is stricter than Lucene's about bare
 * punctuation, so a query it rejects is retried with each offending bare word quoted as a phrase
 * (free text stays free text, e.g. `'; DROP TABLE logs; --`). Real syntax errors — unbalanced
 * parentheses or quotes, a dangling operator — are BAD_QUERY.
 */
export function parseQuery(query: string): LiqeQuery {
  const first = tryParse(query);
  if (!(first instanceof Error)) return first;
  const words = query.split(/(\s+)/);
  const repaired = words
    .map((w) => (w.trim() === '' || STRUCTURE.test(w) || OPERATORS.test(w) || !(tryParse(w) instanceof Error) ? w : `"${w}"`))
    .join('');
  const second = repaired === query ? first : tryParse(repaired);
  if (!(second instanceof Error)) return second;
  throw new AppError('BAD_QUERY', `The query cannot be parsed: ${first.message}`, {
    cause: first,
    details: { query },
  });
}
