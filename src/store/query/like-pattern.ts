/**
 * LIKE patterns built from user text. Both dialects get `\` as the escape character (SQLite
 * through an explicit ESCAPE clause, PostgreSQL by default), so `%`, `_` and `\` typed by a user
 * match themselves.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Lucene wildcards (`*` any run, `?` one character) to LIKE; everything else literal. */
export function wildcardToLike(text: string): string {
  let out = '';
  for (const c of text) {
    if (c === '*') out += '%';
    else if (c === '?') out += '_';
    else out += escapeLike(c);
  }
  return out;
}

export function hasWildcard(text: string): boolean {
  return /[*?]/.test(text);
}

/** A substring pattern: `%text%`, with wildcards honoured when `wildcards` is set. */
export function containsPattern(text: string, wildcards: boolean): string {
  return `%${wildcards ? wildcardToLike(text) : escapeLike(text)}%`;
}
