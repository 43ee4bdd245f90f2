import type { DesensitizeRule } from '../store/index-set.ts';
import type { LogRow } from '../store/log-row.ts';
import { AppError } from '../shared/app-error.ts';

/**
 * A compiled rule set: masks the row in place and returns it. In place because every caller masks
 * rows fresh from a store stream, which belong to it; copying them cost more than the masking.
 */
export type Desensitizer = (row: LogRow) => LogRow;

interface CompiledRule {
  field: string;
  onMessage: boolean;
  regex: RegExp;
  /** A `String.prototype.replace` pattern, or undefined for the default same-length mask. */
  replacement: string | undefined;
}

const STARS = Array.from({ length: 65 }, (_, i) => '*'.repeat(i));

/** Default replacement: one `*` per character (code point, so a CJK character or an emoji is one star). */
function maskSameLength(match: string): string {
  let n = match.length;
  for (let i = 0; i < match.length; i++) {
    const c = match.charCodeAt(i);
    // A high surrogate starts a pair: two units, one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < match.length) {
      const d = match.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) n--;
    }
  }
  return STARS[n] ?? '*'.repeat(n);
}

/**
 * `text` with every match of the (global) regex masked. The default mask walks the matches itself:
 * `replace` with a callback measured twice the cost on short field values.
 */
function apply(text: string, rule: CompiledRule): string {
  const re = rule.regex;
  if (rule.replacement !== undefined) return text.replace(re, rule.replacement);
  re.lastIndex = 0;
  let m = re.exec(text);
  if (m === null) return text;
  let out = '';
  let from = 0;
  do {
    const match = m[0];
    out += text.slice(from, m.index) + maskSameLength(match);
    from = m.index + match.length;
    // An empty match would match again at the same place; replace() steps past it the same way.
    if (match.length === 0) re.lastIndex++;
    m = re.exec(text);
  } while (m !== null);
  return out + text.slice(from);
}

/**
 * bk-log's `is_desensitize=false` is honoured only for superusers; everyone else gets masked data.
 * Use this to compute `raw` for {@link compileDesensitizer}.
 */
export function wantsRawData(isDesensitize: boolean, callerIsAdmin: boolean): boolean {
  return !isDesensitize && callerIsAdmin;
}

/**
 * Compiles an index set's masking rules once per export.
 *
 * - Each rule's `pattern` is a JavaScript regex applied globally to the field's value (numbers are
 *   masked as their decimal text, so a masked number becomes a string); every match becomes
 *   `replacement` (with `$&`, `$1` … as in `String.prototype.replace`) or, by default, `*` repeated
 *   to the match's length. Rules apply in list order; several rules may target one field.
 * - `field` is the name users see: the index set's message field masks `message`. The time field
 *   and the built-in `id`/`ingestedAt` are never masked (they are not sensitive and exports sort on them).
 * - `raw` = true skips masking entirely; pass it only for an admin who asked for raw data
 *   (see {@link wantsRawData}).
 *
 * A pattern that does not compile is a BAD_CONFIG error, raised before any row is written.
 */
export function compileDesensitizer(
  rules: readonly DesensitizeRule[],
  options: { messageField: string; timeField?: string; raw: boolean },
): Desensitizer {
  if (options.raw || rules.length === 0) return (row) => row;
  const compiled: CompiledRule[] = [];
  for (const rule of rules) {
    if (rule.field === options.timeField || rule.field === 'id' || rule.field === 'ingestedAt') continue;
    let regex: RegExp;
    try {
      regex = new RegExp(rule.pattern, 'g');
    } catch (cause) {
      throw new AppError('BAD_CONFIG', `desensitize rule for "${rule.field}" has an invalid pattern`, {
        cause,
        details: { field: rule.field, pattern: rule.pattern },
      });
    }
    compiled.push({
      field: rule.field,
      onMessage: rule.field === options.messageField,
      regex,
      replacement: rule.replacement,
    });
  }
  if (compiled.length === 0) return (row) => row;

  return (row) => {
    for (const rule of compiled) {
      if (rule.onMessage) {
        row.message = apply(row.message, rule);
        continue;
      }
      const value = row.fields[rule.field];
      if (value === undefined || value === null || typeof value === 'boolean') continue;
      const text = typeof value === 'string' ? value : String(value);
      const masked = apply(text, rule);
      if (masked !== text) row.fields[rule.field] = masked;
    }
    return row;
  };
}
