import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createTimeFormatter } from './time-formatter.ts';

const ZONES = [
  'UTC',
  'Asia/Shanghai',
  'America/New_York',
  'Europe/London',
  'Asia/Kolkata',
  'America/St_Johns', // -03:30 with DST
  'Australia/Lord_Howe', // 30-minute DST shift
  'Pacific/Chatham', // +12:45
  'Etc/UTC',
];

describe('createTimeFormatter', () => {
  it('matches hand-written ISO strings, including both sides of a DST change', () => {
    const ny = createTimeFormatter('America/New_York');
    expect(ny(Date.UTC(2024, 2, 10, 6, 59, 59, 999))).toBe('2024-03-10T01:59:59.999-05:00');
    expect(ny(Date.UTC(2024, 2, 10, 7, 0, 0, 0))).toBe('2024-03-10T03:00:00.000-04:00');
    expect(ny(Date.UTC(2024, 10, 3, 5, 30))).toBe('2024-11-03T01:30:00.000-04:00');
    expect(ny(Date.UTC(2024, 10, 3, 6, 30))).toBe('2024-11-03T01:30:00.000-05:00');
    expect(createTimeFormatter('UTC')(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(createTimeFormatter()(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02T03:04:05.006Z');
    expect(createTimeFormatter('Asia/Shanghai')(Date.UTC(2023, 11, 31, 16, 0))).toBe('2024-01-01T00:00:00.000+08:00');
    expect(createTimeFormatter('Asia/Kolkata')(Date.UTC(2024, 0, 1, 18, 29, 59, 1))).toBe('2024-01-01T23:59:59.001+05:30');
    expect(createTimeFormatter('Europe/London')(Date.UTC(2024, 5, 1))).toBe('2024-06-01T01:00:00.000+01:00');
    expect(createTimeFormatter('Europe/London')(Date.UTC(2024, 0, 1))).toBe('2024-01-01T00:00:00.000+00:00');
  });

  it.each(ZONES)('agrees with luxon for random and sorted times in %s', (zone) => {
    const format = createTimeFormatter(zone);
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const samples: number[] = [];
    for (let i = 0; i < 1000; i++) samples.push(Math.floor(rand() * 4_102_444_800_000)); // 1970..2100, unsorted
    // Sorted, dense runs across every DST change of 2024 (exercises the caches).
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 53 * 60_000 + 13) samples.push(t);
    const mismatches = samples
      .map((t) => ({ t, got: format(t), expected: DateTime.fromMillis(t, { zone }).toISO() }))
      .filter((m) => m.got !== m.expected);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(samples.length).toBeGreaterThan(10_000);
  });

  it('handles times before 1970', () => {
    const format = createTimeFormatter('America/New_York');
    const t = Date.UTC(1950, 6, 4, 12, 0, 0, 250);
    expect(format(t)).toBe(DateTime.fromMillis(t, { zone: 'America/New_York' }).toISO());
  });

  it('rejects unknown zones with VALIDATION_FAILED', () => {
    expect(() => createTimeFormatter('Mars/Olympus')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => createTimeFormatter('')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
