import { DateTime, Info, type Zone } from 'luxon';
import { AppError } from '../../shared/app-error.ts';

/** The zone used when a task names none. */
export const DEFAULT_TIME_ZONE = 'UTC';

const BUCKET_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** Resolves an IANA zone name (or `UTC`); unknown names are a VALIDATION_FAILED error. */
export function resolveTimeZone(timeZone: string = DEFAULT_TIME_ZONE): Zone {
  const zone = Info.normalizeZone(timeZone);
  if (!zone.isValid || typeof timeZone !== 'string' || timeZone.trim() === '') {
    throw new AppError('VALIDATION_FAILED', `unknown time zone "${String(timeZone)}"`, {
      details: { field: 'time_zone', value: timeZone },
    });
  }
  return zone;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}

function offsetSuffix(zone: Zone, offsetMinutes: number): string {
  // Same rule as luxon's toISO(): a fixed zero-offset zone (UTC) is `Z`, named zones say `+00:00`.
  if (offsetMinutes === 0 && zone.isUniversal) return 'Z';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/**
 * Returns a formatter from epoch milliseconds to ISO-8601 with milliseconds and offset in `timeZone`,
 * byte-identical to luxon's `DateTime.fromMillis(ms, { zone }).toISO()` for years 1–9999.
 *
 * Why not call luxon per row: it costs several microseconds, the budget is ~3 µs per row for
 * everything. Export rows arrive sorted by time, so the zone offset is cached per 15-minute
 * bucket (checked at both ends, every real transition falls on a quarter hour or the bucket is
 * computed row by row) and the date part per local day.
 */
export function createTimeFormatter(timeZone: string = DEFAULT_TIME_ZONE): (epochMs: number) => string {
  const zone = resolveTimeZone(timeZone);
  let bucket = Number.NaN;
  let bucketOffset: number | null = null;
  let suffix = '';
  let day = Number.NaN;
  let dayPrefix = '';
  let second = Number.NaN;
  let secondPrefix = '';
  let secondOffset = Number.NaN;

  const offsetAt = (ms: number): number => {
    const b = Math.floor(ms / BUCKET_MS);
    if (b !== bucket) {
      bucket = b;
      const start = zone.offset(b * BUCKET_MS);
      bucketOffset = start === zone.offset(b * BUCKET_MS + BUCKET_MS - 1) ? start : null;
      if (bucketOffset !== null) suffix = offsetSuffix(zone, bucketOffset);
    }
    return bucketOffset ?? zone.offset(ms);
  };

  const suffixFor = (offset: number): string => (bucketOffset === offset ? suffix : offsetSuffix(zone, offset));

  return (epochMsIn: number): string => {
    if (!Number.isFinite(epochMsIn)) return '';
    const epochMs = Math.floor(epochMsIn);
    const offset = offsetAt(epochMs);
    const local = epochMs + offset * 60_000;
    const ms = ((local % 1000) + 1000) % 1000;
    const sec = (local - ms) / 1000;
    // Rows come sorted: consecutive rows usually share the second, so reuse its text.
    if (sec === second && offset === secondOffset) return `${secondPrefix}${pad3(ms)}${suffixFor(offset)}`;
    const d = Math.floor(local / DAY_MS);
    if (d !== day) {
      const date = new Date(d * DAY_MS);
      const year = date.getUTCFullYear();
      if (year < 1 || year > 9999) {
        return DateTime.fromMillis(epochMs, { zone }).toISO() ?? '';
      }
      day = d;
      dayPrefix = `${String(year).padStart(4, '0')}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}T`;
    }
    const inDay = local - d * DAY_MS;
    const h = Math.floor(inDay / 3_600_000);
    const m = Math.floor(inDay / 60_000) % 60;
    const s = Math.floor(inDay / 1000) % 60;
    second = sec;
    secondOffset = offset;
    secondPrefix = `${dayPrefix}${pad2(h)}:${pad2(m)}:${pad2(s)}.`;
    return `${secondPrefix}${pad3(ms)}${suffixFor(offset)}`;
  };
}
