import type { DesensitizeRule } from '../store/index-set.ts';
import type { LogRow } from '../store/log-row.ts';
import { AppError } from '../shared/app-error.ts';

/** A compiled rule set: returns the row to export (a copy when something was masked, else the same object). */
export type Desensitizer = (row: LogRow) => LogRow;

interface CompiledRule {
  field: string;
  onMessage: boolean;
  regex: RegExp;
  replacement: string | ((match: string) => string);
}

/** Default replacement: one `*` per character (code point, so a CJK character is one star). */
function maskSameLength(match: string): string {
  let n = 0;
  for (const _ of match) n++;
  return '*'.repeat(n);
}

function apply(text: string, rule: CompiledRule): string {
  return typeof rule.replacement === 'string'
    ? text.replace(rule.regex, rule.replacement)
    : text.replace(rule.regex, rule.replacement);
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
      replacement: rule.replacement ?? maskSameLength,
    });
  }
  if (compiled.length === 0) return (row) => row;

  return (row) => {
    let message = row.message;
    let fields: LogRow['fields'] | undefined;
    for (const rule of compiled) {
      if (rule.onMessage) {
        message = apply(message, rule);
        continue;
      }
      const value = (fields ?? row.fields)[rule.field];
      if (value === undefined || value === null || typeof value === 'boolean') continue;
      const text = String(value);
      const masked = apply(text, rule);
      if (masked === text) continue;
      fields ??= { ...row.fields };
      fields[rule.field] = masked;
    }
    if (message === row.message && fields === undefined) return row;
    return { ...row, message, fields: fields ?? row.fields };
  };
}
