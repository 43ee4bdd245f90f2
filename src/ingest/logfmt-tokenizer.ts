/** Decoded pairs; a bare key (`debug` without `=`) is `true`, as in the logfmt convention. */
export type LogfmtPairs = Record<string, string | true>;
export type LogfmtResult = { ok: true; pairs: LogfmtPairs } | { ok: false; reason: string };

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const SPACE = 0x20;
const TAB = 0x09;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function error(reason: string, at: number): LogfmtResult {
  return { ok: false, reason: `logfmt: ${reason} at column ${at + 1}` };
}

/**
 * Tokenizes one logfmt line: `key=value key="quoted \"value\"" bare_key`. Quoted values take the
 * JSON escapes (`\" \\ \/ \b \f \n \r \t \uXXXX`). Unquoted values run to the next whitespace and may
 * contain `=` (base64 padding) but not `"`. Errors name the 1-based column. A repeated key keeps its
 * last value. Scans char codes: this runs once per input line.
 */
export function tokenizeLogfmt(line: string): LogfmtResult {
  // A plain object: a null-prototype one is a dictionary-mode object, ten times slower to fill here.
  // A `__proto__` key hits the inherited setter and is dropped (a string cannot become a prototype).
  const pairs: LogfmtPairs = {};
  const n = line.length;
  let i = 0;
  while (i < n) {
    let c = line.charCodeAt(i);
    while (c === SPACE || c === TAB) c = line.charCodeAt(++i);
    if (i >= n) break;
    const keyStart = i;
    while (i < n && c !== SPACE && c !== TAB && c !== EQUALS && c !== QUOTE) c = line.charCodeAt(++i);
    const key = line.slice(keyStart, i);
    if (c === QUOTE) return error(key ? 'unexpected quote in key' : 'value without a key', i);
    if (!key) return error("'=' without a key", i);
    if (i >= n || c === SPACE || c === TAB) {
      pairs[key] = true;
      continue;
    }
    c = line.charCodeAt(++i); // past '='
    if (c !== QUOTE) {
      const valueStart = i;
      while (i < n && c !== SPACE && c !== TAB) {
        if (c === QUOTE) return error('unexpected quote in unquoted value', i);
        c = line.charCodeAt(++i);
      }
      pairs[key] = line.slice(valueStart, i);
      continue;
    }
    const quoteAt = i++;
    let value = '';
    let chunkStart = i;
    let closed = false;
    while (i < n) {
      c = line.charCodeAt(i);
      if (c === QUOTE) {
        value += line.slice(chunkStart, i);
        closed = true;
        i++;
        break;
      }
      if (c !== BACKSLASH) {
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
    c = line.charCodeAt(i);
    if (i < n && c !== SPACE && c !== TAB) return error('unexpected character after closing quote', i);
    pairs[key] = value;
  }
  return { ok: true, pairs };
}
