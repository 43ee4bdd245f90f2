import type { PatternConfig } from './config.ts';
import { compileUserRegex, findSpans, MAX_TOKEN_REGEX_INPUT, type Masking } from './masking.ts';
import { hashStep, InternTable } from './intern-table.ts';
import { BUILTIN_NAMES, type BuiltinName, classifyBuiltin, dotNumberSplit, keywordValue } from './token-classifier.ts';

/** Marks a template/key entry as a variable: VAR + name. Never occurs in decoded text tokens. */
export const VAR = '\u0000';
/** The name of a position that became variable because its values differed. */
export const WILDCARD_NAME = 'VAR';
export const WILDCARD = VAR + WILDCARD_NAME;

const VAR_KEYS = new Map<string, string>([[WILDCARD_NAME, WILDCARD]]);
/** The interned key of a variable name (one string object per name: no allocation per token). */
export function varKey(name: string): string {
  let key = VAR_KEYS.get(name);
  if (key === undefined) {
    key = VAR + name;
    VAR_KEYS.set(name, key);
  }
  return key;
}
const NUMBER_KEY = varKey('NUMBER');
const DATE_KEY = varKey('DATE');
const MAC_KEY = varKey('MAC');
const URL_KEY = varKey('URL');
const BUILTIN_KEYS = Object.fromEntries(BUILTIN_NAMES.map((n) => [n, varKey(n)])) as Record<BuiltinName, string>;

/**
 * The tokens of one message. Buffers are reused from message to message (the hot path allocates
 * only the token strings), so callers copy what they keep.
 */
export interface TokenList {
  text: string;
  count: number;
  starts: number[];
  ends: number[];
  /** Comparison key per token: the word (lower-cased unless case-sensitive), or VAR + variable name. */
  keys: string[];
}

// ASCII delimiters of the built-in scanner: whitespace and , ; : = ( ) [ ] { } < > | " '
const DELIM = new Uint8Array(128);
for (const c of ' \t\n\r\f\v,;:=()[]{}<>|"\'') DELIM[c.charCodeAt(0)] = 1;
const WIDE_DELIMS = new Set([0x00a0, 0x3000, 0x3001, 0x3002, 0xff0c, 0xff1a, 0xff1b, 0xff08, 0xff09, 0x3010, 0x3011, 0xff01, 0xff1f, 0x2028, 0x2029, 0xfeff]);
const URL_STOP = new Uint8Array(128);
for (const c of ' \t\n\r\f\v"\'<>)]},;|\u0000') URL_STOP[c.charCodeAt(0)] = 1;

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);

/** End of a colon-separated run of 6+ hex pairs starting at i (MAC / EUI / WWN ids), or -1. */
function macEnd(text: string, i: number): number {
  let pairs = 0;
  let j = i;
  while (isHex(text.charCodeAt(j)) && isHex(text.charCodeAt(j + 1))) {
    pairs++;
    j += 2;
    if (text.charCodeAt(j) !== 58 || !isHex(text.charCodeAt(j + 1))) break;
    j++;
  }
  const next = text.charCodeAt(j);
  const bounded = j >= text.length || !(isHex(next) || next === 58 || (next | 32) >= 103 && (next | 32) <= 122);
  return pairs >= 6 && bounded ? j : -1;
}

const isDelim = (c: number): boolean => (c < 128 ? DELIM[c] === 1 : WIDE_DELIMS.has(c));

// character kinds of the built-in scanner (ASCII); anything else non-delimiting is a word character
const K_WORD = 0;
const K_DIGIT = 1;
const K_DELIM = 2;
const K_DOT = 3;
const K_SLASH = 4;
/** NUL: the scanner stops and the message is rescanned with NUL replaced (see `tokenize`). */
const K_NUL = 5;
const CHAR_KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) CHAR_KIND[c] = DELIM[c] === 1 ? K_DELIM : c >= 48 && c <= 57 ? K_DIGIT : c === 46 ? K_DOT : c === 47 ? K_SLASH : c === 0 ? K_NUL : K_WORD;
/** What a token holds, OR-ed while scanning: letters/other word characters, ASCII digits, dots/slashes. */
const SEEN_WORD = 1;
const SEEN_DIGIT = 2;
const SEEN_DOT = 4;
/** The scanner's inner loop: SEEN_WORD / SEEN_DIGIT for an ASCII run character, 8 for anything that ends the run. */
const RUN_BIT = new Uint8Array(128);
for (let c = 0; c < 128; c++) RUN_BIT[c] = CHAR_KIND[c] === K_WORD ? SEEN_WORD : CHAR_KIND[c] === K_DIGIT ? SEEN_DIGIT : 8;
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isSchemeChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
const PUNCT_ONLY = /^[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]+$/;
const TOKEN_CACHE_LIMIT = 50_000;
/** `word()` without a scan hash (regex tokeniser, split pieces): slice instead of interning. */
const NO_HASH = 0x7fffffff + 1;

/**
 * text[s, e) (at most 3 ASCII characters) packed into one number, 7 bits per character plus the
 * length, so short-word set tests need no slice; -1 when a character is not ASCII.
 */
function packText(text: string, s: number, e: number): number {
  let code = e - s;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) return -1;
    code = code * 128 + c;
  }
  return code;
}
const packWord = (w: string): number => packText(w, 0, w.length);
const DATE_NAMES = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map(packWord));
const isDateName = (text: string, s: number, e: number): boolean => e - s === 3 && DATE_NAMES.has(packText(text, s, e));
const isNumberKey = (key: string | undefined): boolean => key === NUMBER_KEY;

/**
 * Month and weekday abbreviations are part of a timestamp when a number or another date name
 * is next to them (`Fri Jun 17 07:07:00`, `17 Jun`); alone they stay words.
 */
function markDateNames(out: TokenList): void {
  const { keys, count, text, starts, ends } = out;
  for (let i = 0; i < count; i++) {
    const s = starts[i] as number;
    const first = text.charCodeAt(s);
    // date names are capitalised: test the first letter before slicing
    if ((ends[i] as number) - s !== 3 || first < 65 || first > 90 || !isDateName(text, s, s + 3)) continue;
    const next = keys[i + 1];
    const nextIsDate = i + 1 < count && (isNumberKey(next) || isDateName(text, starts[i + 1] as number, ends[i + 1] as number));
    if (nextIsDate || (i > 0 && isNumberKey(keys[i - 1]))) keys[i] = DATE_KEY;
  }
}

const SIZE_UNITS = new Set(['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'KiB', 'MiB', 'GiB', 'TiB', 'kB'].map(packWord));
const isCapital = (c: number): boolean => c >= 65 && c <= 90;
const isSizeUnit = (text: string, s: number, e: number): boolean => e - s >= 1 && e - s <= 3 && SIZE_UNITS.has(packText(text, s, e));

/** `17.7 KB` is one quantity: a byte-size unit one space after a number joins the number's variable. */
function joinSizeUnits(out: TokenList): void {
  const { keys, text, starts, ends } = out;
  let w = 0;
  for (let r = 0; r < out.count; r++, w++) {
    if (r !== w) {
      keys[w] = keys[r] as string;
      starts[w] = starts[r] as number;
      ends[w] = ends[r] as number;
    }
    const next = r + 1;
    if (next < out.count && isNumberKey(keys[r]) && (starts[next] as number) === (ends[r] as number) + 1
      && text.charCodeAt(ends[r] as number) === 32 && isSizeUnit(text, starts[next] as number, ends[next] as number)) {
      ends[w] = ends[next] as number;
      r++;
    }
  }
  out.count = w;
}

/** Splits messages into tokens and marks the variable ones (predefined variables + built-in recogniser). */
export class Tokenizer {
  private readonly masking: Masking;
  private readonly builtinScanner: boolean;
  private readonly splitter: RegExp | undefined;
  private readonly builtinVariables: boolean;
  private readonly caseSensitive: boolean;
  private readonly maxLength: number;
  /** Built-in variables, case-sensitive, no user token regexes: words take the fast path in `word`. */
  private readonly plainWords: boolean;
  private readonly spans: number[] = [];
  private readonly tokenCache = new Map<string, string>();
  private readonly intern = new InternTable();
  /** Whether the current message has a date-name token / a short token one character after a number. */
  private dateNames = false;
  private sizeUnits = false;
  readonly out: TokenList = { text: '', count: 0, starts: [], ends: [], keys: [] };

  constructor(config: PatternConfig, masking: Masking) {
    this.masking = masking;
    this.builtinScanner = config.delimeter === 'builtin';
    this.splitter = this.builtinScanner ? undefined : compileUserRegex(config.delimeter, 'delimeter', 'g');
    this.builtinVariables = config.builtin_variables;
    this.caseSensitive = config.is_case_sensitive;
    this.maxLength = config.max_log_length;
    this.plainWords = this.builtinVariables && this.caseSensitive && masking.tokenRules.length === 0;
  }

  /** Cuts a message to max_log_length without splitting a surrogate pair. */
  truncate(message: string): string {
    if (message.length <= this.maxLength) return message;
    let end = this.maxLength;
    const c = message.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end--;
    return message.slice(0, end);
  }

  /** Tokenises a message into `this.out` and returns it. */
  tokenize(message: string): TokenList {
    let text = this.truncate(message);
    // NUL marks variables in keys; a NUL in the input must not be mistaken for one. Without span
    // rules the built-in scanner finds a NUL itself (no extra pass over every message)
    const hasSpans = this.masking.spanRules.length > 0;
    if ((hasSpans || !this.builtinScanner) && text.includes(VAR)) text = text.replaceAll(VAR, '\uFFFD');
    this.begin(text);
    const spanCount = hasSpans ? findSpans(text, this.masking.spanRules, this.spans) : 0;
    if (!this.builtinScanner) this.scanRegex(text, spanCount);
    else if (!this.scanBuiltin(text, spanCount)) {
      text = text.replaceAll(VAR, '\uFFFD');
      this.begin(text);
      this.scanBuiltin(text, 0);
    }
    const out = this.out;
    // the two passes only run when a token could need them (flags set by push)
    if (this.builtinVariables) {
      if (this.dateNames) markDateNames(out);
      if (this.sizeUnits) joinSizeUnits(out);
    }
    return out;
  }

  private begin(text: string): void {
    this.out.text = text;
    this.out.count = 0;
    this.dateNames = false;
    this.sizeUnits = false;
  }

  private push(s: number, e: number, key: string): void {
    const out = this.out;
    const n = out.count++;
    if (e - s <= 3) {
      if (e - s === 3 && isCapital(out.text.charCodeAt(s)) && isDateName(out.text, s, e)) this.dateNames = true;
      if (n > 0 && out.keys[n - 1] === NUMBER_KEY && s === (out.ends[n - 1] as number) + 1) this.sizeUnits = true;
    }
    out.starts[n] = s;
    out.ends[n] = e;
    out.keys[n] = key;
  }

  /**
   * A token of the built-in scanner (with its scan hash and SEEN_* bits). The common case, a word without digits
   * that is not a path under default settings, is handled here: small enough to be inlined.
   */
  private emit(s: number, e: number, seen: number, hash: number): void {
    // only digits: what classifyBuiltin says of it (no dot split, no user token rules under plainWords)
    if (seen === SEEN_DIGIT && this.plainWords) {
      this.push(s, e, NUMBER_KEY);
      return;
    }
    if ((seen & SEEN_DIGIT) === 0 && this.plainWords) {
      const text = this.out.text;
      const first = text.charCodeAt(s);
      if (first !== 47 && first !== 46) {
        const len = e - s;
        const kw = len === 4 || len === 5 ? keywordValue(text, s, len) : undefined;
        this.push(s, e, kw === undefined ? this.intern.get(text, s, e, hash) : BUILTIN_KEYS[kw]);
        return;
      }
    }
    this.word(s, e, (seen & SEEN_DIGIT) !== 0, hash);
  }

  /** Classifies and records a word token text[s, e); `digits` false promises it has no ASCII digit. */
  private word(s: number, e: number, digits = true, hash = NO_HASH): void {
    const text = this.out.text;
    if (digits && this.builtinVariables && e - s > 2) {
      const dot = dotNumberSplit(text, s, e);
      if (dot > 0) {
        this.word(s, dot, false);
        this.push(dot + 1, e, NUMBER_KEY);
        return;
      }
    }
    const rules = this.masking.tokenRules;
    if (rules.length > 0 && e - s <= MAX_TOKEN_REGEX_INPUT) {
      const token = text.slice(s, e);
      let hit = this.tokenCache.get(token);
      if (hit === undefined) {
        hit = '';
        for (const rule of rules) {
          if (rule.regex.test(token)) {
            hit = varKey(rule.name);
            break;
          }
        }
        if (this.tokenCache.size >= TOKEN_CACHE_LIMIT) this.tokenCache.clear();
        this.tokenCache.set(token, hit);
      }
      if (hit !== '') {
        this.push(s, e, hit);
        return;
      }
    }
    // a word without digits can only be a path or a keyword value: skip the full scan
    const first = text.charCodeAt(s);
    const name = !this.builtinVariables ? undefined
      : digits || first === 47 || first === 46 ? classifyBuiltin(text, s, e) : keywordValue(text, s, e - s);
    if (name !== undefined) this.push(s, e, BUILTIN_KEYS[name]);
    else if (this.caseSensitive) this.push(s, e, hash === NO_HASH ? text.slice(s, e) : this.intern.get(text, s, e, hash));
    else this.push(s, e, text.slice(s, e).toLowerCase());
  }

  private span(k: number): void {
    const spans = this.spans;
    const rule = this.masking.spanRules[spans[k * 3 + 2] as number];
    this.push(spans[k * 3] as number, spans[k * 3 + 1] as number, varKey(rule?.name ?? WILDCARD_NAME));
  }

  /**
   * logsift's scanner: splits on whitespace and , ; : = ( ) [ ] { } < > | " ' (and CJK punctuation), on
   * a `.` that ends a word (sentence end) unless the word is a path, on a `/` inside a word, and keeps the body of `scheme://…` as one URL variable.
   * Returns false, having stopped, at a NUL character.
   */
  private scanBuiltin(text: string, spanCount: number): boolean {
    const n = text.length;
    let k = 0;
    let nextSpan = spanCount > 0 ? (this.spans[0] as number) : n + 1;
    let start = -1;
    let seen = 0;
    let hash = 0;
    for (let i = 0; i < n; i++) {
      if (i === nextSpan) {
        if (start >= 0) this.emit(start, i, seen, hash);
        start = -1;
        this.span(k);
        i = (this.spans[k * 3 + 1] as number) - 1;
        k++;
        nextSpan = k < spanCount ? (this.spans[k * 3] as number) : n + 1;
        continue;
      }
      const c = text.charCodeAt(i);
      const kind = c < 128 ? (CHAR_KIND[c] as number) : WIDE_DELIMS.has(c) ? K_DELIM : K_WORD;
      if (kind === K_WORD || kind === K_DIGIT) {
        if (start < 0) {
          if (spanCount > 0 && isHex(c) && text.charCodeAt(i + 2) === 58) {
            const end = macEnd(text, i);
            if (end > 0) {
              this.push(i, end, MAC_KEY);
              i = end - 1;
              continue;
            }
          }
          start = i;
          seen = 0;
          hash = 0;
        }
        // the rest of an ASCII letter/digit run in a tight loop (most characters of a message)
        seen |= kind === K_DIGIT ? SEEN_DIGIT : SEEN_WORD;
        hash = hashStep(hash, c);
        const limit = nextSpan < n ? nextSpan : n;
        let j = i + 1;
        for (; j < limit; j++) {
          const d = text.charCodeAt(j);
          if (d >= 128) break;
          const bit = RUN_BIT[d] as number;
          if (bit > SEEN_DIGIT) break;
          seen |= bit;
          hash = hashStep(hash, d);
        }
        i = j - 1;
        continue;
      }
      if (kind === K_DOT) {
        if (start >= 0 && (i + 1 === n || isDelim(text.charCodeAt(i + 1))) && text.charCodeAt(start) !== 47) {
          this.emit(start, i, seen, hash);
          start = -1;
          continue;
        }
        if (start < 0) {
          start = i;
          seen = 0;
          hash = 0;
        }
        seen |= SEEN_DOT;
        hash = hashStep(hash, c);
        continue;
      }
      if (kind === K_SLASH) {
        if (start >= 0 && text.charCodeAt(start) !== 47 && text.charCodeAt(start) !== 46) {
          // a slash inside a word separates parts (host/ip, load/store); a token starting with / or . is a path
          this.emit(start, i, seen, hash);
          start = -1;
          continue;
        }
        if (start < 0) {
          start = i;
          seen = 0;
          hash = 0;
        }
        seen |= SEEN_DOT;
        hash = hashStep(hash, c);
        continue;
      }
      if (kind === K_NUL) return false;
      // without spans a MAC is recognised at its first colon instead of at every token start: the
      // token holds exactly its first two characters then, as macEnd requires
      if (c === 58 && start === i - 2 && spanCount === 0 && isHex(text.charCodeAt(start))) {
        const end = macEnd(text, start);
        if (end > 0) {
          this.push(start, end, MAC_KEY);
          start = -1;
          i = end - 1;
          continue;
        }
      }
      if (c === 58 /* : */ && start >= 0 && text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47 && this.isScheme(start, i)) {
        this.emit(start, i, seen, hash);
        start = -1;
        let j = i + 3;
        while (j < n && j !== nextSpan && !(text.charCodeAt(j) < 128 && URL_STOP[text.charCodeAt(j)] === 1)) j++;
        let end = j;
        while (end > i + 3 && text.charCodeAt(end - 1) === 46) end--;
        if (end > i + 3) this.push(i + 3, end, URL_KEY);
        i = end - 1;
        continue;
      }
      if (start >= 0) {
        this.emit(start, i, seen, hash);
        start = -1;
      }
    }
    if (start >= 0) this.emit(start, n, seen, hash);
    return true;
  }

  private isScheme(s: number, e: number): boolean {
    const text = this.out.text;
    for (let i = s; i < e; i++) if (!isSchemeChar(text.charCodeAt(i))) return false;
    return true;
  }

  /** bk-log's tokeniser: the text between delimiter matches; punctuation-only pieces are dropped, `'` and spaces trimmed. */
  private scanRegex(text: string, spanCount: number): void {
    let from = 0;
    for (let k = 0; k <= spanCount; k++) {
      const to = k < spanCount ? (this.spans[k * 3] as number) : text.length;
      this.splitPiece(text, from, to);
      if (k < spanCount) {
        this.span(k);
        from = this.spans[k * 3 + 1] as number;
      }
    }
  }

  private splitPiece(text: string, from: number, to: number): void {
    const re = this.splitter as RegExp;
    const piece = from === 0 && to === text.length ? text : text.slice(from, to);
    re.lastIndex = 0;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(piece)) !== null) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      this.regexToken(from, last, m.index);
      last = m.index + m[0].length;
    }
    this.regexToken(from, last, piece.length);
  }

  private regexToken(offset: number, s: number, e: number): void {
    const text = this.out.text;
    let a = offset + s;
    let b = offset + e;
    while (a < b && (isSpace(text.charCodeAt(a)) || text.charCodeAt(a) === 39)) a++;
    while (b > a && (isSpace(text.charCodeAt(b - 1)) || text.charCodeAt(b - 1) === 39)) b--;
    if (a === b || PUNCT_ONLY.test(text.slice(a, b))) return;
    this.word(a, b);
  }
}
