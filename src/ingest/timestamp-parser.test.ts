import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import { createTimestampParser } from './timestamp-parser.ts';

// Epoch values below were computed independently (Python datetime), not by the code under test.
const T_2026_11_16_101112_345_UTC = 1794823872345;
const EIGHT_HOURS = 8 * 3600 * 1000;

describe('createTimestampParser (auto)', () => {
  const utc = createTimestampParser({ timeZone: 'UTC' });
  const shanghai = createTimestampParser({ timeZone: 'Asia/Shanghai' });

  it('reads the same wall-clock time 8 h apart in Asia/Shanghai and UTC', () => {
    expect(utc('2026-11-16 10:11:12,345')).toBe(T_2026_11_16_101112_345_UTC);
    expect(shanghai('2026-11-16 10:11:12,345')).toBe(1794795072345);
    expect(utc('2026-11-16 10:11:12,345')! - shanghai('2026-11-16 10:11:12,345')!).toBe(EIGHT_HOURS);
  });

  it('accepts ISO-8601 variants; an explicit offset beats the configured zone', () => {
    expect(shanghai('2026-11-16T10:11:12.345Z')).toBe(T_2026_11_16_101112_345_UTC);
    expect(shanghai('2026-11-16T18:11:12.345+08:00')).toBe(T_2026_11_16_101112_345_UTC);
    expect(utc('2026-11-16T05:11:12.345-0500')).toBe(T_2026_11_16_101112_345_UTC);
    expect(utc('2026-11-16T10:11:12.345678Z')).toBe(T_2026_11_16_101112_345_UTC);
    expect(utc('2026/11/16 10:11:12.345')).toBe(T_2026_11_16_101112_345_UTC);
    expect(utc('2026-11-16T10:11')).toBe(T_2026_11_16_101112_345_UTC - 12345);
  });

  it('reads yyMMdd HHmmss (HDFS style) and compact yyyyMMddHHmmss', () => {
    expect(utc('081109 203615')).toBe(1226262975000);
    expect(utc('20081109203615')).toBe(1226262975000);
    expect(shanghai('20081110043615')).toBe(1226262975000);
  });

  it('reads epoch seconds, milliseconds and JSON numbers', () => {
    expect(utc('1794823872')).toBe(1794823872000);
    expect(utc('1794823872.345')).toBe(T_2026_11_16_101112_345_UTC);
    expect(utc('1794823872345')).toBe(T_2026_11_16_101112_345_UTC);
    expect(shanghai(1794823872345)).toBe(T_2026_11_16_101112_345_UTC);
    expect(utc(1794823872)).toBe(1794823872000);
    expect(utc(1794823872345678)).toBe(T_2026_11_16_101112_345_UTC);
  });

  it('reads Apache access-log timestamps with their offset', () => {
    expect(utc('16/Nov/2026:18:11:12 +0800')).toBe(T_2026_11_16_101112_345_UTC - 345);
  });

  it('assumes the syslog year from the reference time, stepping back over New Year', () => {
    const ref = 1767323045000; // 2026-01-02T03:04:05Z
    const p = createTimestampParser({ timeZone: 'UTC', referenceTime: ref });
    expect(p('Jan  2 03:04:05')).toBe(ref);
    expect(p('Dec 31 23:59:59')).toBe(1767225599000); // 2025-12-31T23:59:59Z
  });

  it('rejects impossible dates and garbage', () => {
    for (const bad of ['2026-02-30 10:00:00', '2026-13-01 00:00:00', '2026-11-16 24:00:00', 'yesterday', '', '12345', 'Foo 16 10:11:12']) {
      expect(utc(bad), bad).toBeUndefined();
    }
  });

  it('resolves DST gaps and overlaps like luxon (America/New_York)', () => {
    const ny = createTimestampParser({ timeZone: 'America/New_York' });
    expect(ny('2026-03-08 01:30:00')).toBe(1772955000000 - 3600_000); // 01:30 EST = 06:30Z
    expect(ny('2026-03-08 03:30:00')).toBe(1772955000000); // 03:30 EDT = 07:30Z
    expect(ny('2026-03-08 02:30:00')).toBe(1772955000000); // in the gap: moved forward to 03:30 EDT
  });
});

describe('createTimestampParser (explicit formats)', () => {
  it('uses a luxon format string in the configured zone', () => {
    const p = createTimestampParser({ timeZone: 'Asia/Shanghai', timeFormat: 'dd.MM.yyyy HH:mm:ss.SSS' });
    expect(p('16.11.2026 18:11:12.345')).toBe(T_2026_11_16_101112_345_UTC);
    expect(p('2026-11-16 18:11:12.345')).toBeUndefined();
  });

  it('epoch_s and epoch_ms take numbers literally', () => {
    expect(createTimestampParser({ timeZone: 'UTC', timeFormat: 'epoch_s' })('1794823872.345')).toBe(T_2026_11_16_101112_345_UTC);
    expect(createTimestampParser({ timeZone: 'UTC', timeFormat: 'epoch_ms' })(1794823872345)).toBe(T_2026_11_16_101112_345_UTC);
    expect(createTimestampParser({ timeZone: 'UTC', timeFormat: 'epoch_ms' })('abc')).toBeUndefined();
  });

  it('refuses an unknown time zone with VALIDATION_FAILED', () => {
    let caught: unknown;
    try {
      createTimestampParser({ timeZone: 'Mars/Olympus' });
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught, 'VALIDATION_FAILED')).toBe(true);
  });
});
