import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import { dueTick, parseCron } from './cron.ts';

const at = (iso: string): number => Date.parse(iso);

describe('parseCron', () => {
  it('every minute fires at the next minute boundary', () => {
    expect(parseCron('* * * * *').nextAfter(at('2026-01-01T10:00:30Z'))).toBe(at('2026-01-01T10:01:00Z'));
    expect(parseCron('* * * * *').nextAfter(at('2026-01-01T10:00:00Z'))).toBe(at('2026-01-01T10:01:00Z'));
  });

  it('daily at 03:20 (bk-log cleaner) rolls over to the next day', () => {
    const c = parseCron('20 3 * * *');
    expect(c.nextAfter(at('2026-01-01T03:19:59Z'))).toBe(at('2026-01-01T03:20:00Z'));
    expect(c.nextAfter(at('2026-01-01T03:20:00Z'))).toBe(at('2026-01-02T03:20:00Z'));
  });

  it('steps, ranges and lists', () => {
    const c = parseCron('*/15 9-17/4 * * *');
    expect(c.nextAfter(at('2026-01-01T09:50:00Z'))).toBe(at('2026-01-01T13:00:00Z'));
    expect(c.matches(at('2026-01-01T17:45:10Z'))).toBe(true);
    expect(c.matches(at('2026-01-01T10:00:00Z'))).toBe(false);
    const l = parseCron('5,35 0 * * *');
    expect(l.nextAfter(at('2026-01-01T00:06:00Z'))).toBe(at('2026-01-01T00:35:00Z'));
  });

  it('month and day names; 7 is Sunday', () => {
    // 2026-03-01 is a Sunday.
    expect(parseCron('0 12 * mar sun').nextAfter(at('2026-02-10T00:00:00Z'))).toBe(at('2026-03-01T12:00:00Z'));
    expect(parseCron('0 12 * * 7').nextAfter(at('2026-02-28T13:00:00Z'))).toBe(at('2026-03-01T12:00:00Z'));
  });

  it('restricted day-of-month OR day-of-week (Vixie semantics)', () => {
    // 1st of the month or any Monday; 2026-01-05 is a Monday.
    const c = parseCron('0 0 1 * mon');
    expect(c.nextAfter(at('2026-01-01T00:00:00Z'))).toBe(at('2026-01-05T00:00:00Z'));
    expect(c.nextAfter(at('2026-01-26T00:00:00Z'))).toBe(at('2026-02-01T00:00:00Z'));
  });

  it('leap day only in leap years', () => {
    expect(parseCron('0 0 29 2 *').nextAfter(at('2026-01-01T00:00:00Z'))).toBe(at('2028-02-29T00:00:00Z'));
  });

  it.each([
    ['* * * *', '5 fields'],
    ['60 * * * *', '0-59'],
    ['* 24 * * *', '0-23'],
    ['*/0 * * * *', 'step'],
    ['5-1 * * * *', 'reversed'],
    ['* * * foo *', '1-12'],
    ['0 0 31 2 *', 'never matches'],
  ])('rejects %s', (expr, why) => {
    let caught: unknown;
    try {
      parseCron(expr).nextAfter(0);
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught, 'VALIDATION_FAILED')).toBe(true);
    expect((caught as Error).message).toContain(why);
  });
});

describe('dueTick', () => {
  const every5 = parseCron('*/5 * * * *');

  it('is null before the next tick', () => {
    expect(dueTick(every5, at('2026-01-01T10:00:00Z'), at('2026-01-01T10:04:59Z'))).toBeNull();
  });

  it('returns the tick once it has passed', () => {
    expect(dueTick(every5, at('2026-01-01T10:00:00Z'), at('2026-01-01T10:05:00Z'))).toBe(at('2026-01-01T10:05:00Z'));
  });

  it('collapses missed ticks into the latest one (no back-fill)', () => {
    expect(dueTick(every5, at('2026-01-01T10:00:00Z'), at('2026-01-01T10:17:00Z'))).toBe(at('2026-01-01T10:15:00Z'));
  });
});
