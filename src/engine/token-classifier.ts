/**
 * logsift's built-in variable recogniser: one pass over a token's characters, no regex, no
 * allocation. It decides what makes a token a value rather than a word, independent of any
 * particular log system:
 * - PATH: an absolute or `./`, `../` path (`/a/b`, `/10.0.0.1`), as Loghub's labelling guideline does;
 * - NUMBER: a signed integer or decimal, optionally with a short unit (`17.7`, `-2`, `15ms`, `3rd`, `40%`);
 * - HEX: `0x…`, or 8+ characters that are all hex digits with at least one digit;
 * - IP: dotted quad; UUID: 8-4-4-4-12 hex;
 * - ID: any other token with a run of 2+ digits or 3+ digits in total (`blk_123`, `mesos-slave-07`,
 *   `appattempt_1445_0020`); a lone digit inside a word (`ssh2`, `log4j`) stays a word;
 * - BOOL / NULL / USER: `true`, `false`, `null`; `root`, `admin` (Loghub's labelling guideline).
 * Anything else is left to the clustering, which turns positions that vary into variables.
 */
export const BUILTIN_NAMES = ['PATH', 'NUMBER', 'HEX', 'IP', 'UUID', 'ID', 'BOOL', 'NULL', 'USER'] as const;
export type BuiltinName = (typeof BUILTIN_NAMES)[number];

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isHexLetter = (c: number): boolean => (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** Classifies text[s, e); undefined means "a word". */
export function classifyBuiltin(text: string, s: number, e: number): BuiltinName | undefined {
  const len = e - s;
  if (len <= 0) return undefined;
  const first = text.charCodeAt(s);
  if (first === 47 /* / */ && len >= 2 && text.charCodeAt(s + 1) !== 47) return 'PATH';
  if (first === 46 /* . */ && len >= 3 && isRelativePath(text, s, e)) return 'PATH';
  let digits = 0;
  let letters = 0;
  let hexLetters = 0;
  let dots = 0;
  let dashes = 0;
  let others = 0;
  let run = 0;
  let maxRun = 0;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      digits++;
      if (++run > maxRun) maxRun = run;
      continue;
    }
    run = 0;
    if (isLetter(c)) {
      letters++;
      if (isHexLetter(c)) hexLetters++;
    } else if (c === 46) dots++;
    else if (c === 45) dashes++;
    else others++;
  }
  if (digits === 0) return len <= 5 ? keywordValue(text, s, len) : undefined;
  // all digits: none of the shapes below but NUMBER applies (the usual case, no second scan)
  if (digits === len) return 'NUMBER';
  if (len > 2 && first === 48 && (text.charCodeAt(s + 1) | 32) === 120 && letters - 1 === hexLetters && dots + dashes + others === 0) return 'HEX';
  if (letters === 0 && others === 0 && dashes === 0 && dots === 3 && isDottedQuad(text, s, e)) return 'IP';
  if (isNumber(text, s, e)) return 'NUMBER';
  if (len === 36 && dashes === 4 && letters === hexLetters && others === 0 && dots === 0) return 'UUID';
  if (len >= 8 && letters === hexLetters && dots + dashes + others === 0) return 'HEX';
  if (maxRun >= 2 || digits >= 3) return 'ID';
  return undefined;
}

/** `./x` or `../x`. */
function isRelativePath(text: string, s: number, e: number): boolean {
  const c1 = text.charCodeAt(s + 1);
  if (c1 === 47) return e - s > 2;
  return c1 === 46 && text.charCodeAt(s + 2) === 47 && e - s > 3;
}

const KEYWORDS: Record<string, BuiltinName> = { true: 'BOOL', false: 'BOOL', null: 'NULL', root: 'USER', admin: 'USER' };
/** The keywords by lower-cased first letter (their first letters differ). */
const KEYWORD_BY_FIRST: (string | undefined)[] = new Array<string | undefined>(128).fill(undefined);
for (const k of Object.keys(KEYWORDS)) KEYWORD_BY_FIRST[k.charCodeAt(0)] = k;

/**
 * true/false/null and (Loghub's labelling guideline) the default user names root/admin, any case.
 * Compares char codes (ASCII letter | 32 is its lower case) so no word is sliced or lower-cased; a
 * non-ASCII letter never lower-cases to one of these words without changing the length.
 */
export function keywordValue(text: string, s: number, len: number): BuiltinName | undefined {
  if (len !== 4 && len !== 5) return undefined;
  const c0 = text.charCodeAt(s);
  if (!isLetter(c0)) return undefined;
  const word = KEYWORD_BY_FIRST[c0 | 32];
  if (word === undefined || word.length !== len) return undefined;
  for (let i = 1; i < len; i++) {
    const c = text.charCodeAt(s + i);
    if (!isLetter(c) || (c | 32) !== word.charCodeAt(i)) return undefined;
  }
  return KEYWORDS[word];
}

/** `[-+]?\d+([.,]\d+)*` followed by at most three letters or a `%`. */
function isNumber(text: string, s: number, e: number): boolean {
  let i = s;
  const c0 = text.charCodeAt(i);
  if (c0 === 45 || c0 === 43) i++;
  if (i >= e || !isDigit(text.charCodeAt(i))) return false;
  while (i < e) {
    while (i < e && isDigit(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    if ((c === 46 || c === 44) && i + 1 < e && isDigit(text.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    break;
  }
  if (i === e) return true;
  if (text.charCodeAt(i) === 37 /* % */) return i + 1 === e;
  const unitLen = e - i;
  if (unitLen > 3) return false;
  for (; i < e; i++) if (!isLetter(text.charCodeAt(i))) return false;
  return true;
}

function isDottedQuad(text: string, s: number, e: number): boolean {
  let groupLen = 0;
  let groups = 1;
  for (let i = s; i < e; i++) {
    if (text.charCodeAt(i) === 46) {
      if (groupLen === 0) return false;
      groups++;
      groupLen = 0;
    } else if (++groupLen > 3) return false;
  }
  return groups === 4 && groupLen > 0;
}

/**
 * For `word.123` (a word without digits, a dot, then only digits) returns the dot's index so the
 * token is written `word.<*>`, as Loghub's guideline splits on dots; otherwise -1.
 */
export function dotNumberSplit(text: string, s: number, e: number): number {
  const first = text.charCodeAt(s);
  // the part before the dot has no digit and is not a path
  if (first === 47 || isDigit(first)) return -1;
  let i = e - 1;
  while (i > s && isDigit(text.charCodeAt(i))) i--;
  if (i === e - 1 || i <= s || text.charCodeAt(i) !== 46) return -1;
  let letter = false;
  for (let j = s; j < i; j++) {
    const c = text.charCodeAt(j);
    if (isDigit(c)) return -1;
    if (isLetter(c)) letter = true;
  }
  return letter ? i : -1;
}
