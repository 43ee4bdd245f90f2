import { AppError } from '../shared/app-error.ts';

/** A header format compiled to one anchored regex; `names[i]` is capture group `i + 1`. */
export interface CompiledHeader {
  regex: RegExp;
  names: string[];
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Compiles a Loghub-style header format such as `<Date> <Time> <Level> <Component>: <Content>`.
 * `<Name>` is a field; any other text is literal, a whitespace run matching one or more whitespace
 * characters and `\x` meaning a literal `x`. A field followed by whitespace matches one
 * non-whitespace token (this keeps matching linear on long lines); a field followed by other
 * literal text matches lazily up to it; the last field takes the rest of the line.
 */
export function compileHeaderFormat(format: string): CompiledHeader {
  const tokens: Array<{ field: string } | { literal: string }> = [];
  let literal = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    if (c === '\\' && i + 1 < format.length) {
      literal += format[++i];
    } else if (c === '<') {
      const end = format.indexOf('>', i);
      const name = end < 0 ? '' : format.slice(i + 1, end).trim();
      if (!/^[A-Za-z_@][\w.@-]*$/.test(name)) {
        throw new AppError('VALIDATION_FAILED', `Header format has a bad field name at column ${i + 1}: ${format}`, {
          details: { headerFormat: format },
        });
      }
      if (literal) tokens.push({ literal });
      literal = '';
      tokens.push({ field: name });
      i = end;
    } else {
      literal += c;
    }
  }
  if (literal) tokens.push({ literal });

  const names: string[] = [];
  let source = '^';
  tokens.forEach((token, k) => {
    if ('literal' in token) {
      source += token.literal.split(/(\s+)/).map((part) => (/^\s+$/.test(part) ? '\\s+' : escapeRegex(part))).join('');
      return;
    }
    if (names.includes(token.field)) {
      throw new AppError('VALIDATION_FAILED', `Header format names field <${token.field}> twice`, { details: { headerFormat: format } });
    }
    names.push(token.field);
    const next = tokens[k + 1];
    if (next === undefined) source += '(.*)';
    else if (!('literal' in next)) source += '(.*?)';
    else if (/^\s/.test(next.literal)) source += '(\\S+)';
    else source += `([^${next.literal[0]?.replace(/[\]\\^-]/g, '\\$&')}]*)`;
  });
  if (names.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'Header format has no <Field>', { details: { headerFormat: format } });
  }
  return { regex: new RegExp(`${source}$`, 's'), names };
}
