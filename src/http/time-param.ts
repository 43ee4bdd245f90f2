import { DateTime } from 'luxon';
import { AppError } from '../shared/app-error.ts';

/**
 * bk-log sends times as `YYYY-MM-DD HH:mm:ss` in the user's zone; scripts send ISO-8601 or epoch
 * milliseconds. All three are accepted; a zone-less string is read in `timeZone` (default UTC).
 */
export function parseTimeParam(name: string, value: string | number, timeZone = 'UTC'): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
  } else {
    const trimmed = value.trim();
    if (/^\d{10,16}$/.test(trimmed)) return Number(trimmed);
    const iso = DateTime.fromISO(trimmed.replace(' ', 'T'), { zone: timeZone, setZone: true });
    if (iso.isValid) return iso.toMillis();
  }
  throw new AppError('BAD_TIME_RANGE', `${name} is not a time: use epoch ms, ISO-8601 or "YYYY-MM-DD HH:mm:ss"`, {
    details: { [name]: value },
  });
}

/** Checks the zone name once so a typo is a 400, not a silent UTC. */
export function checkTimeZone(timeZone: string): string {
  if (!DateTime.now().setZone(timeZone).isValid) {
    throw new AppError('VALIDATION_FAILED', `Unknown IANA time zone "${timeZone}"`, { details: { time_zone: timeZone } });
  }
  return timeZone;
}
