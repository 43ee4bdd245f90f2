/**
 * Job states and the ONE transition table both implementations obey.
 *
 *   created ──claim──► active ──handler resolves──────────► completed
 *   retry   ──claim──► active ──throws, attempts left──────► retry (start_after = now + backoff)
 *                      active ──throws, none left / Unrecoverable──► failed
 *                      active ──lease expired (worker lost)─► retry | failed (counts as an attempt)
 *   created | retry | active ──cancel──► cancelled
 *
 * `completed`, `failed` and `cancelled` are final. Every persisted transition is a compare-and-set
 * (`UPDATE … WHERE state = <expected>` plus the claim's fencing token for `active`), so a worker
 * that lost its lease cannot overwrite the state written by the worker that took over.
 * The names and their order match pg-boss's `job_state` enum on purpose.
 */
export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JOB_TRANSITIONS = {
  created: ['active', 'cancelled'],
  retry: ['active', 'cancelled'],
  active: ['completed', 'retry', 'failed', 'cancelled'],
  completed: [],
  cancelled: [],
  failed: [],
} as const satisfies Record<JobState, readonly JobState[]>;

/** States a transition into `to` may start from (the `WHERE state IN (…)` of its compare-and-set). */
export function sourcesOf(to: JobState): JobState[] {
  return JOB_STATES.filter((from) => (JOB_TRANSITIONS[from] as readonly JobState[]).includes(to));
}

export function canTransition(from: JobState, to: JobState): boolean {
  return (JOB_TRANSITIONS[from] as readonly JobState[]).includes(to);
}

/** States in which a job still holds its singleton key. */
export const LIVE_STATES = ['created', 'retry', 'active'] as const satisfies readonly JobState[];

export function isJobState(value: string): value is JobState {
  return (JOB_STATES as readonly string[]).includes(value);
}
