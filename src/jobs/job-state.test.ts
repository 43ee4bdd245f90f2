import { describe, expect, it } from 'vitest';
import { JOB_STATES, JOB_TRANSITIONS, canTransition, sourcesOf } from './job-state.ts';

describe('job state table', () => {
  it('final states have no way out', () => {
    for (const s of ['completed', 'failed', 'cancelled'] as const) expect(JOB_TRANSITIONS[s]).toEqual([]);
  });

  it('only created/retry jobs are claimed, and any live job can be cancelled', () => {
    expect(sourcesOf('active')).toEqual(['created', 'retry']);
    expect(sourcesOf('cancelled')).toEqual(['created', 'retry', 'active']);
    expect(sourcesOf('completed')).toEqual(['active']);
    expect(sourcesOf('created')).toEqual([]);
  });

  it('canTransition agrees with the table', () => {
    expect(canTransition('active', 'retry')).toBe(true);
    expect(canTransition('created', 'completed')).toBe(false);
    expect(canTransition('failed', 'retry')).toBe(false);
    for (const s of JOB_STATES) expect(canTransition(s, s)).toBe(false);
  });
});
