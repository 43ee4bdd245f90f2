import { AppError } from '../shared/app-error.ts';

/**
 * A tiny, pure 5-field cron parser and matcher (UTC): `minute hour day-of-month month day-of-week`.
 * Each field takes `*`, `n`, `a-b`, lists `a,b`, and steps `*\/n` or `a-b/n`; months and days also
 * take names (`jan`, `mon`), and day-of-week 7 means Sunday. As in Vixie cron, when both
 * day-of-month and day-of-week are restricted a day matches if EITHER does.
 */
export interface Cron {
  readonly expression: string;
  /** True if the minute containing `ms` is a tick. */
  matches(ms: number): boolean;
  /** The first tick strictly after `ms` (minute-aligned epoch ms). */
  nextAfter(ms: number): number;
}

interface FieldSpec {
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const FIELDS = {
  minute: { min: 0, max: 59 },
  hour: { min: 0, max: 23 },
  dayOfMonth: { min: 1, max: 31 },
  month: { min: 1, max: 12, names: MONTHS },
  dayOfWeek: { min: 0, max: 7, names: DAYS },
} as const satisfies Record<string, FieldSpec>;

type FieldName = keyof typeof FIELDS;
const FIELD_ORDER = Object.keys(FIELDS) as FieldName[];

const MINUTE_MS = 60_000;
// A schedule that never matches (e.g. `0 0 31 2 *`) must not spin forever.
const SEARCH_LIMIT_MS = 5 * 366 * 24 * 3600_000;

function bad(expression: string, why: string): AppError {
  return new AppError('VALIDATION_FAILED', `invalid cron expression "${expression}": ${why}`, {
    details: { cron: expression },
  });
}

function parseValue(token: string, spec: FieldSpec, expression: string): number {
  const named = spec.names?.indexOf(token.toLowerCase() as never) ?? -1;
  const value = named >= 0 ? named + (spec.min === 1 ? 1 : 0) : /^\d+$/.test(token) ? Number(token) : NaN;
  if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
    throw bad(expression, `"${token}" is not in ${spec.min}-${spec.max}`);
  }
  return value;
}

function parseField(text: string, spec: FieldSpec, expression: string): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined || range === '') throw bad(expression, `"${part}" is malformed`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw bad(expression, `step "${stepText}" must be a positive integer`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      [lo, hi] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [lo, hi] = [parseValue(a, spec, expression), parseValue(b, spec, expression)];
      if (lo > hi) throw bad(expression, `range "${range}" is reversed`);
    } else {
      lo = parseValue(range, spec, expression);
      hi = stepText === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}

/** Parses a 5-field cron expression; throws AppError VALIDATION_FAILED with the reason. */
export function parseCron(expression: string): Cron {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELD_ORDER.length) throw bad(expression, `expected 5 fields, got ${parts.length}`);
  const sets = {} as Record<FieldName, Set<number>>;
  FIELD_ORDER.forEach((name, i) => {
    sets[name] = parseField(parts[i] ?? '', FIELDS[name], expression);
  });
  if (sets.dayOfWeek.delete(7)) sets.dayOfWeek.add(0);
  const domRestricted = (parts[2] ?? '*') !== '*' && !(parts[2] ?? '').startsWith('*/');
  const dowRestricted = (parts[4] ?? '*') !== '*' && !(parts[4] ?? '').startsWith('*/');
  const dayMatches = (d: Date): boolean => {
    const dom = sets.dayOfMonth.has(d.getUTCDate());
    const dow = sets.dayOfWeek.has(d.getUTCDay());
    return domRestricted && dowRestricted ? dom || dow : dom && dow;
  };
  const matches = (ms: number): boolean => {
    const d = new Date(ms);
    return (
      sets.minute.has(d.getUTCMinutes()) &&
      sets.hour.has(d.getUTCHours()) &&
      sets.month.has(d.getUTCMonth() + 1) &&
      dayMatches(d)
    );
  };
  const nextAfter = (ms: number): number => {
    let t = Math.floor(ms / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    const limit = t + SEARCH_LIMIT_MS;
    while (t < limit) {
      const d = new Date(t);
      // Skip whole months, days and hours that cannot match instead of walking minute by minute.
      if (!sets.month.has(d.getUTCMonth() + 1)) {
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      } else if (!dayMatches(d)) {
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      } else if (!sets.hour.has(d.getUTCHours())) {
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      } else if (!sets.minute.has(d.getUTCMinutes())) {
        t += MINUTE_MS;
      } else {
        return t;
      }
    }
    throw bad(expression, 'it never matches');
  };
  return { expression, matches, nextAfter };
}

/**
 * The tick a scheduler should fire now: the latest tick in (lastRun, now], or null if none.
 * Missed ticks are not back-filled (one job after downtime, not one per missed minute).
 */
export function dueTick(cron: Cron, lastRun: number, now: number): number | null {
  let tick = cron.nextAfter(lastRun);
  if (tick > now) return null;
  for (let next = cron.nextAfter(tick); next <= now; next = cron.nextAfter(next)) tick = next;
  return tick;
}
