import type { TokenList } from './tokenizer.ts';

/** A variable found in a message: its name and its text. */
export interface ExtractedVariable {
  name: string;
  value: string;
}

/** Writes a variable name as a placeholder; bk-log's style is `#NAME#`. */
export type PlaceholderStyle = (name: string) => string;

export const HASH_PLACEHOLDER: PlaceholderStyle = (name) => `#${name}#`;

/** A fixed placeholder for every variable (e.g. Loghub's `<*>`); `#NAME#` inside it is replaced by the name. */
export function placeholderStyle(placeholder: string | undefined): PlaceholderStyle {
  if (placeholder === undefined || placeholder === '#NAME#') return HASH_PLACEHOLDER;
  if (placeholder.includes('NAME')) return (name) => placeholder.replace('NAME', name);
  return () => placeholder;
}

const isVar = (key: string): boolean => key.charCodeAt(0) === 0;

/** Collapses whitespace runs to one space (Loghub's templates and bk-log's tokens do the same). */
function squeeze(text: string): string {
  return /\s/.test(text) ? text.replace(/\s+/g, ' ') : text;
}

/**
 * The template written over the message's own text: the text between tokens and every literal token
 * are kept (runs of whitespace become one space, ends trimmed), each variable becomes its placeholder.
 * `template` must have the message's token count.
 */
export function renderOverText(tokens: TokenList, template: readonly string[], style: PlaceholderStyle): string {
  const { text, starts, ends, count } = tokens;
  let out = '';
  let prev = 0;
  for (let i = 0; i < count; i++) {
    const s = starts[i] as number;
    const e = ends[i] as number;
    if (s > prev) out += squeeze(text.slice(prev, s));
    const t = template[i] as string;
    out += isVar(t) ? style(t.slice(1)) : text.slice(s, e);
    prev = e;
  }
  if (prev < text.length) out += squeeze(text.slice(prev));
  return out.trim();
}

/** bk-log's `origin_pattern`: the template's tokens joined by one space, variables as `#NAME#`. */
export function joinTemplate(template: readonly string[], style: PlaceholderStyle = HASH_PLACEHOLDER): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const t = template[i] as string;
    if (i > 0) out += ' ';
    out += isVar(t) ? style(t.slice(1)) : t;
  }
  return out;
}

/** The values at the template's variable positions, named by the template. */
export function extractVariables(tokens: TokenList, template: readonly string[]): ExtractedVariable[] {
  const out: ExtractedVariable[] = [];
  for (let i = 0; i < tokens.count; i++) {
    const t = template[i] as string;
    if (isVar(t)) out.push({ name: t.slice(1), value: tokens.text.slice(tokens.starts[i], tokens.ends[i]) });
  }
  return out;
}
