/** Decoded pairs; a bare key (`debug` without `=`) is `true`, as in the logfmt convention. */
export type LogfmtPairs = Record<string, string | true>;
export type LogfmtResult = { ok: true; pairs: LogfmtPairs } | { ok: false; reason: string };

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const isSpace = (c: string): boolean => c === ' ' || c === '\t';

/**
 * Tokenizes one logfmt line: `key=value key="quoted \"value\"" bare_key`. Quoted values take the
 * JSON escapes (`\" \\ \/ \b \f \n \r \t \uXXXX`). Unquoted values run to the next whitespace and may
 * contain `=` (base64 padding) but not `"`. Errors name the 1-based column. A repeated key keeps its
 * last value.
 */
export function tokenizeLogfmt(line: string): LogfmtResult {
  const pairs: LogfmtPairs = Object.create(null) as LogfmtPairs;
  const n = line.length;
  let i = 0;
  const error = (reason: string, at: number): LogfmtResult => ({ ok: false, reason: `logfmt: ${reason} at column ${at + 1}` });
  while (i < n) {
    while (i < n && isSpace(line[i] as string)) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && !isSpace(line[i] as string) && line[i] !== '=' && line[i] !== '"') i++;
    const key = line.slice(keyStart, i);
    if (i < n && line[i] === '"') return error(key ? 'unexpected quote in key' : 'value without a key', i);
    if (!key) return error("'=' without a key", i);
    if (i >= n || isSpace(line[i] as string)) {
      pairs[key] = true;
      continue;
    }
    i++; // past '='
    if (line[i] !== '"') {
      const valueStart = i;
      while (i < n && !isSpace(line[i] as string)) {
        if (line[i] === '"') return error('unexpected quote in unquoted value', i);
        i++;
      }
      pairs[key] = line.slice(valueStart, i);
      continue;
    }
    const quoteAt = i++;
    let value = '';
    let chunkStart = i;
    let closed = false;
    while (i < n) {
      const c = line[i] as string;
      if (c === '"') {
        value += line.slice(chunkStart, i);
        closed = true;
        i++;
        break;
      }
      if (c !== '\\') {
        i++;
        continue;
      }
      value += line.slice(chunkStart, i);
      const e = line[i + 1];
      if (e === 'u') {
        const hex = line.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return error('bad \\u escape', i);
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        value += ESCAPES[e];
        i += 2;
      } else {
        return error(e === undefined ? 'unterminated escape' : `unknown escape \\${e}`, i);
      }
      chunkStart = i;
    }
    if (!closed) return error('unterminated quoted value', quoteAt);
    if (i < n && !isSpace(line[i] as string)) return error('unexpected character after closing quote', i);
    pairs[key] = value;
  }
  return { ok: true, pairs };
}
