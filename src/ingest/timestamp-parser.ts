import { DateTime } from 'luxon';
import { createZoneClock } from './zone-clock.ts';

/** Parses a timestamp given as text or as a JSON number; `undefined` when it cannot be parsed. */
export type TimestampParser = (value: string | number) => number | undefined;

export interface TimestampParserOptions {
  timeZone: string;
  /** `auto` (default), `iso`, `epoch_s`, `epoch_ms`, or a luxon format string. */
  timeFormat?: string;
  /** Epoch ms; syslog timestamps take the year that puts them at most one day after this. */
  referenceTime?: number;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const DAY_MS = 86_400_000;

/** Wall-clock fields; `offsetMin` set when the text carried its own UTC offset. */
interface Parts {
  y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number;
  offsetMin?: number;
}

/** A detector recognises one textual layout and extracts wall-clock parts (no zone applied yet). */
interface Detector {
  re: RegExp;
  parts(m: RegExpExecArray, ctx: { syslogYear: (mo: number, d: number) => number }): Parts | undefined;
}

const num = (s: string | undefined): number => (s === undefined ? 0 : Number(s));
/** Fraction digits to whole milliseconds; sub-millisecond digits are truncated, never rounded up. */
const fractionMs = (s: string | undefined): number => (s === undefined ? 0 : Number(s.padEnd(3, '0').slice(0, 3)));

function offsetMinutes(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (s === 'Z' || s === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(s);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (num(m[2]) * 60 + num(m[3]));
}

const DETECTORS: Detector[] = [
  {
    // ISO-8601 and its common relatives: `2026-11-16T10:11:12.123+08:00`, `2026-11-16 10:11:12,123`, `2026/11/16 10:11:12`.
    re: /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i,
    parts: (m) => ({
      y: num(m[1]), mo: num(m[2]), d: num(m[3]), h: num(m[4]), mi: num(m[5]), s: num(m[6]), ms: fractionMs(m[7]),
      offsetMin: offsetMinutes(m[8]),
    }),
  },
  {
    // Compact `20261116101112` (14 digits, which as epoch ms would be past year 2500).
    re: /^((?:19|20)\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/,
    parts: (m) => ({ y: num(m[1]), mo: num(m[2]), d: num(m[3]), h: num(m[4]), mi: num(m[5]), s: num(m[6]), ms: 0 }),
  },
  {
    // Loghub HDFS style `081109 203615`: two-digit years pivot at 70.
    re: /^(\d{2})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})$/,
    parts: (m) => {
      const yy = num(m[1]);
      return { y: yy < 70 ? 2000 + yy : 1900 + yy, mo: num(m[2]), d: num(m[3]), h: num(m[4]), mi: num(m[5]), s: num(m[6]), ms: 0 };
    },
  },
  {
    // syslog `Nov 16 10:11:12` (no year: assumed from the reference time).
    re: /^([A-Za-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/,
    parts: (m, ctx) => {
      const mo = MONTHS[(m[1] ?? '').toLowerCase()];
      if (mo === undefined) return undefined;
      const d = num(m[2]);
      return { y: ctx.syslogYear(mo, d), mo, d, h: num(m[3]), mi: num(m[4]), s: num(m[5]), ms: fractionMs(m[6]) };
    },
  },
  {
    // Apache/nginx access log `16/Nov/2026:10:11:12 +0800`.
    re: /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\s*([+-]\d{4}))?$/,
    parts: (m) => {
      const mo = MONTHS[(m[2] ?? '').toLowerCase()];
      if (mo === undefined) return undefined;
      return { y: num(m[3]), mo, d: num(m[1]), h: num(m[4]), mi: num(m[5]), s: num(m[6]), ms: 0, offsetMin: offsetMinutes(m[7]) };
    },
  },
];

const EPOCH_TEXT = /^(?:\d{9,13}|\d{15,19})(?:\.\d{1,9})?$/;

/**
 * Epoch numbers by magnitude: below 1e11 seconds (until year 5138), then ms, µs, ns. A 9–10 digit
 * number is therefore read as seconds and a 12–13 digit number as milliseconds.
 */
export function epochToMs(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (n < 1e11) return Math.floor(n * 1000);
  if (n < 1e14) return Math.floor(n);
  if (n < 1e17) return Math.floor(n / 1000);
  return Math.floor(n / 1e6);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Range checks, so Date.UTC cannot silently roll Feb 30 over into March. */
function validParts(p: Parts): boolean {
  if (p.mo < 1 || p.mo > 12 || p.d < 1 || p.h > 23 || p.mi > 59 || p.s > 59) return false;
  const days = p.mo === 2 && isLeap(p.y) ? 29 : (DAYS_IN_MONTH[p.mo - 1] as number);
  return p.d <= days;
}

/** Creates a parser; throws VALIDATION_FAILED for an unknown time zone. */
export function createTimestampParser(options: TimestampParserOptions): TimestampParser {
  const toUtc = createZoneClock(options.timeZone);
  const format = options.timeFormat ?? 'auto';
  // "Now" is fixed once per parser so every line of one ingest assumes the same syslog year.
  const referenceMs = options.referenceTime ?? Date.now();
  const referenceYear = DateTime.fromMillis(referenceMs, { zone: options.timeZone }).year;
  const syslogYear = (mo: number, d: number): number => {
    // A syslog date more than a day ahead of "now" belongs to last year (e.g. Dec 31 read on Jan 1).
    const candidate = toUtc(Date.UTC(referenceYear, mo - 1, d));
    return candidate > referenceMs + DAY_MS ? referenceYear - 1 : referenceYear;
  };
  const ctx = { syslogYear };

  const fromParts = (p: Parts | undefined): number | undefined => {
    if (p === undefined || !validParts(p)) return undefined;
    const local = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s, p.ms);
    return p.offsetMin === undefined ? toUtc(local) : local - p.offsetMin * 60_000;
  };
  const detect = (detectors: Detector[]): TimestampParser => {
    let last = 0;
    return (value) => {
      if (typeof value === 'number') return epochToMs(value);
      const text = value.trim();
      if (EPOCH_TEXT.test(text)) return epochToMs(Number(text));
      // Logs repeat one layout, so the last detector that matched is tried first.
      for (let i = 0; i < detectors.length; i++) {
        const k = (last + i) % detectors.length;
        const det = detectors[k] as Detector;
        const m = det.re.exec(text);
        if (m) {
          last = k;
          return fromParts(det.parts(m, ctx));
        }
      }
      return undefined;
    };
  };

  if (format === 'auto') return detect(DETECTORS);
  if (format === 'iso') return detect(DETECTORS.slice(0, 1));
  if (format === 'epoch_s' || format === 'epoch_ms') {
    const scale = format === 'epoch_s' ? 1000 : 1;
    return (value) => {
      const n = typeof value === 'number' ? value : /^\d+(?:\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
      return Number.isFinite(n) ? Math.floor(n * scale) : undefined;
    };
  }
  return (value) => {
    if (typeof value === 'number') return undefined;
    const dt = DateTime.fromFormat(value.trim(), format, { zone: options.timeZone });
    return dt.isValid ? dt.toMillis() : undefined;
  };
}
