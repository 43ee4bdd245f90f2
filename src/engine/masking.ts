import { EngineError } from './engine-error.ts';

/** One predefined variable: its name and compiled regex. */
export interface VariableRule {
  name: string;
  regex: RegExp;
  source: string;
}

/** The compiled `predefined_varibles`, split the way bk-log applies them. */
export interface Masking {
  /** Unanchored rules: matched over the whole message first; each match becomes one variable token. */
  spanRules: VariableRule[];
  /** `^…$`-anchored rules: tested against each token. */
  tokenRules: VariableRule[];
}

/** Tokens longer than this are not offered to user token regexes (bounds regex work per token). */
export const MAX_TOKEN_REGEX_INPUT = 512;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/**
 * Rejects the classic catastrophic-backtracking shapes: a quantified group whose body itself holds a
 * quantifier (`(a+)+`, `(\w*)*`, `(x|y+){2,}`) and backreferences. This is a heuristic gate; the hard
 * bound is that regexes only ever see input cut to `max_log_length` (spans) or MAX_TOKEN_REGEX_INPUT.
 */
export function findCatastrophicShape(source: string): string | undefined {
  const stack: { quantified: boolean; start: number }[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      if (/[1-9]/.test(source[i + 1] ?? '')) return 'backreferences are not allowed';
      i++;
      continue;
    }
    if (c === '[') {
      // skip a character class: quantifier characters inside it are literals
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      continue;
    }
    if (c === '(') stack.push({ quantified: false, start: i + 1 });
    else if (c === ')') {
      const group = stack.pop();
      const next = source[i + 1];
      const repeated = next === '*' || next === '+' || (next === '{' && /^\{\d*,\d*\}|^\{\d{2,}\}/.test(source.slice(i + 1)));
      const body = group === undefined ? '' : source.slice(group.start, i);
      if (group?.quantified && repeated && !startsWithSeparator(body)) {
        return 'a repeated group contains a quantifier (nested quantifiers backtrack catastrophically)';
      }
      if (repeated && body.includes('|') && !distinctSingleAtoms(body)) {
        return 'a repeated group has alternatives that may overlap (catastrophic backtracking)';
      }
      if (group?.quantified || repeated) {
        const parent = stack[stack.length - 1];
        if (parent) parent.quantified = true;
      }
    } else if (c === '*' || c === '+' || c === '{') {
      const top = stack[stack.length - 1];
      if (top) top.quantified = true;
    }
  }
  return undefined;
}

/**
 * `(\/[a-z]+)+` is safe: every repetition must start with a literal that nothing inside the group can
 * match, so the input splits into repetitions one way only. True when the body starts with such a literal.
 */
function startsWithSeparator(body: string): boolean {
  let literal: string;
  let rest: string;
  if (body.startsWith('?:')) body = body.slice(2);
  if (body[0] === '\\' && body.length > 1 && /[^\w\s]/.test(body[1] as string)) {
    literal = body[1] as string;
    rest = body.slice(2);
  } else if (body.length > 0 && /[^\\.()[\]|*+?{}^$]/.test(body[0] as string)) {
    literal = body[0] as string;
    rest = body.slice(1);
  } else return false;
  if (/^[*+?{]/.test(rest)) return false;
  if (/(^|[^\\])\./.test(rest) || /\\[SWD]|\[\^/.test(rest) || rest.includes('|')) return false;
  if (/\w/.test(literal) && /\\w/.test(rest)) return false;
  if (/\d/.test(literal) && /\\d/.test(rest)) return false;
  if (/\s/.test(literal) && /\\s/.test(rest)) return false;
  for (const cls of rest.match(/\[(?:\\.|[^\]])*\]/g) ?? []) {
    if (cls.includes(literal)) return false;
  }
  return true;
}

/**
 * `(\s|-|_|T)+` is safe: each alternative is one atom and the literal ones are distinct, with at
 * most one class among them. Anything longer (`(a|aa)+`) may match one input in many ways.
 */
function distinctSingleAtoms(body: string): boolean {
  const alts = (body.startsWith('?:') ? body.slice(2) : body).split('|');
  const literals = new Set<string>();
  let classes = 0;
  for (const alt of alts) {
    if (/^\\[dDwWsS]$|^\[(?:\\.|[^\]])+\]$/.test(alt)) classes++;
    else if (/^(?:\\[^dDwWsSbB0-9]|[^\\()[\]|*+?{}^$.])$/.test(alt)) {
      const ch = alt.length === 2 ? alt[1] as string : alt;
      if (literals.has(ch)) return false;
      literals.add(ch);
    } else return false;
  }
  return classes <= 1;
}

/** Compiles one user regex or throws BAD_PATTERN_CONFIG with the reason. */
export function compileUserRegex(source: string, what: string, flags = ''): RegExp {
  const shape = findCatastrophicShape(source);
  if (shape !== undefined) {
    throw new EngineError('BAD_PATTERN_CONFIG', `${what}: ${shape}: ${source}`, { regex: source });
  }
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (err) {
    throw new EngineError('BAD_PATTERN_CONFIG', `${what}: the regex does not compile: ${(err as Error).message}`, { regex: source });
  }
  if (backtracksOnProbes(re)) {
    throw new EngineError('BAD_PATTERN_CONFIG', `${what}: the regex backtracks catastrophically on short inputs: ${source}`, { regex: source });
  }
  return re;
}

const PROBE_UNITS = ['a', '0', ' ', '.', '/', '-', '_', 'ab', '01', 'a ', 'x=', 'aA0.'];
// small steps: the next length is at most ~4× slower than the last fast one, so a bad regex is caught early
const PROBE_LENGTHS = [6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256];
const PROBE_LIMIT_MS = 25;

/**
 * The second gate, for shapes the static check misses: runs the regex on short repetitive inputs
 * that end in a character it is unlikely to accept, growing the length while each run stays fast.
 * Exponential backtracking shows up as a run that is slow on a ~20-character input, high-degree
 * polynomial backtracking (`.*.*.*.*=`) on a 256-character one. Low-degree polynomial regexes can
 * still be slow on long lines; max_log_length bounds that.
 */
function backtracksOnProbes(re: RegExp): boolean {
  if (VETTED_SOURCES.has(re.source)) return false;
  const probe = new RegExp(re.source, re.flags.replace('g', '').replace('y', ''));
  for (const unit of PROBE_UNITS) {
    for (const length of PROBE_LENGTHS) {
      const input = unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + '\u0001!';
      if (fastestRunMs(probe, input) > PROBE_LIMIT_MS) return true;
    }
  }
  VETTED_SOURCES.add(re.source);
  return false;
}

// Regexes that passed the probes once in this process; each miner built later skips them.
const VETTED_SOURCES = new Set<string>();

/**
 * A wall-clock probe on a shared machine can be slow for reasons outside the regex (GC pause,
 * descheduling). Only a run that stays slow on re-runs counts, so the verdict is about the regex.
 */
function fastestRunMs(probe: RegExp, input: string): number {
  let fastest = Infinity;
  for (let run = 0; run < 3 && fastest > PROBE_LIMIT_MS; run++) {
    const t0 = performance.now();
    probe.exec(input);
    fastest = Math.min(fastest, performance.now() - t0);
  }
  return fastest;
}

function isAnchored(source: string): boolean {
  return source.startsWith('^') && source.endsWith('$') && !source.endsWith('\\$');
}

/**
 * Compiles the ordered `NAME:regex` list. bk-log moves NUMBER and CHAR after the others
 * (bklog-spec §2.4 step 2); the same stable order is kept here.
 */
export function compileMasking(variables: readonly string[]): Masking {
  const rules: { name: string; source: string }[] = variables.map((entry) => {
    const colon = entry.indexOf(':');
    const name = entry.slice(0, colon).trim().toUpperCase();
    if (!NAME_RE.test(name)) throw new EngineError('BAD_PATTERN_CONFIG', `predefined variable name "${name}" is not valid`);
    return { name, source: entry.slice(colon + 1) };
  });
  const late = (name: string): number => (name === 'NUMBER' || name === 'CHAR' ? 1 : 0);
  rules.sort((a, b) => late(a.name) - late(b.name));
  const spanRules: VariableRule[] = [];
  const tokenRules: VariableRule[] = [];
  for (const r of rules) {
    if (isAnchored(r.source)) {
      tokenRules.push({ name: r.name, source: r.source, regex: compileUserRegex(r.source, `variable ${r.name}`) });
    } else {
      spanRules.push({ name: r.name, source: r.source, regex: compileUserRegex(r.source, `variable ${r.name}`, 'g') });
    }
  }
  return { spanRules, tokenRules };
}

/**
 * Finds the span variables of a message: matches of each rule in order, skipping any that overlap a
 * span already claimed by an earlier rule. Writes [start, end, ruleIndex] triples into `out`
 * sorted by start and returns how many spans were found.
 */
export function findSpans(text: string, rules: readonly VariableRule[], out: number[]): number {
  out.length = 0;
  for (let r = 0; r < rules.length; r++) {
    const re = (rules[r] as VariableRule).regex;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const start = m.index;
      const end = start + m[0].length;
      if (end === start) {
        re.lastIndex = start + 1;
        continue;
      }
      if (!overlaps(out, start, end)) out.push(start, end, r);
    }
  }
  if (out.length > 3) sortTriples(out);
  return out.length / 3;
}

function overlaps(spans: readonly number[], start: number, end: number): boolean {
  for (let i = 0; i < spans.length; i += 3) {
    if (start < (spans[i + 1] as number) && (spans[i] as number) < end) return true;
  }
  return false;
}

function sortTriples(spans: number[]): void {
  const triples: [number, number, number][] = [];
  for (let i = 0; i < spans.length; i += 3) triples.push([spans[i] as number, spans[i + 1] as number, spans[i + 2] as number]);
  triples.sort((a, b) => a[0] - b[0]);
  spans.length = 0;
  for (const t of triples) spans.push(t[0], t[1], t[2]);
}
