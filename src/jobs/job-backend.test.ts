import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './job-backend.ts';

describe('retryDelayMs', () => {
  it('fixed delay ignores the attempt', () => {
    expect(retryDelayMs(3, false, 1, 0.9)).toBe(3000);
    expect(retryDelayMs(3, false, 5, 0.1)).toBe(3000);
  });

  it('backoff doubles per attempt, jittered between 1x and 2x', () => {
    expect(retryDelayMs(2, true, 1, 0)).toBe(2000);
    expect(retryDelayMs(2, true, 1, 1)).toBe(4000);
    expect(retryDelayMs(2, true, 2, 0)).toBe(4000);
    expect(retryDelayMs(2, true, 3, 0.5)).toBe(12_000);
  });

  it('backoff raises a zero base to 1 s and caps the exponent at 16', () => {
    expect(retryDelayMs(0, true, 1, 0)).toBe(1000);
    expect(retryDelayMs(1, true, 40, 0)).toBe(retryDelayMs(1, true, 16, 0));
  });
});
