import { DateTime, IANAZone } from 'luxon';
import { AppError } from '../shared/app-error.ts';

/** Local wall-clock buckets: every real time-zone transition since 1900 falls on a 15-minute boundary. */
const BUCKET_MS = 15 * 60_000;
const MAX_CACHED_BUCKETS = 20_000;

/**
 * Converts wall-clock times in an IANA zone to epoch ms. Input is `Date.UTC(...)` of the wall-clock
 * fields ("local ms"). luxon costs ~14 µs per conversion, too slow for ingest, so the zone's offset is
 * computed once per 15-minute local bucket with luxon and cached; DST gaps and overlaps therefore
 * resolve exactly as luxon resolves them (a time in a spring-forward gap moves forward, an ambiguous
 * fall-back time takes luxon's choice).
 */
export function createZoneClock(timeZone: string): (localMs: number) => number {
  if (!IANAZone.isValidZone(timeZone)) {
    throw new AppError('VALIDATION_FAILED', `Unknown IANA time zone "${timeZone}"`, { details: { timeZone } });
  }
  const cache = new Map<number, number>();
  return (localMs) => {
    const bucket = Math.floor(localMs / BUCKET_MS);
    let offset = cache.get(bucket);
    if (offset === undefined) {
      const start = bucket * BUCKET_MS;
      const d = new Date(start);
      const zoned = DateTime.fromObject(
        {
          year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
          hour: d.getUTCHours(), minute: d.getUTCMinutes(),
        },
        { zone: timeZone },
      );
      offset = start - zoned.toMillis();
      if (cache.size >= MAX_CACHED_BUCKETS) cache.clear();
      cache.set(bucket, offset);
    }
    return localMs - offset;
  };
}
