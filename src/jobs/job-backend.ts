import type { JobInfo, JobTransaction, ListJobsFilter, QueueName } from './job-queue.ts';

/**
 * The storage contract under `JobQueue` (bullmq's `IQueueBackend` idea): every method is ONE atomic
 * storage operation, every state change a compare-and-set. The worker loop, timeouts, heartbeats,
 * cron and events live once in `backed-job-queue.ts`; a backend only stores. Implemented by
 * `sqlite/sqlite-job-backend.ts` and `pg-boss/pg-boss-job-backend.ts`.
 * @internal
 */
export interface JobBackend {
  /** Creates or upgrades its tables. Safe to run concurrently from several processes. */
  migrate(): Promise<void>;
  /** Inserts a job; null when a singleton/throttle key suppressed it. */
  insert(job: NewJob): Promise<string | null>;
  /** Atomically moves up to `max` best eligible jobs of the queue to `active` under a lease, best first. */
  claim(queue: QueueName, workerId: string, leaseMs: number, max: number): Promise<ClaimedJob[]>;
  /** active → completed, only if this claim still holds the job. */
  complete(job: ClaimedJob, output: unknown): Promise<boolean>;
  /** active → retry | failed, only if this claim still holds the job; null if it did not. */
  fail(job: ClaimedJob, outcome: FailOutcome): Promise<'retry' | 'failed' | null>;
  /** Extends the lease and stores progress; false if the claim no longer holds the job. */
  heartbeat(job: ClaimedJob, leaseMs: number, progress: unknown): Promise<boolean>;
  /** Moves active jobs whose lease expired to retry (or failed when out of attempts). */
  sweep(): Promise<number>;
  /** created | retry | active → cancelled. */
  cancel(id: string): Promise<boolean>;
  get(id: string): Promise<JobInfo | undefined>;
  list(filter: Required<ListJobsFilter> | (ListJobsFilter & { limit: number; offset: number })): Promise<JobInfo[]>;

  /** Insert or replace; `lastRun` is kept when the cron expression did not change. */
  upsertSchedule(schedule: ScheduleRow): Promise<void>;
  deleteSchedule(name: string): Promise<void>;
  listSchedules(): Promise<ScheduleRow[]>;
  /** Compare-and-set of `lastRun`: true for exactly one caller per (name, expected). */
  advanceSchedule(name: string, expectedLastRun: number, tick: number): Promise<boolean>;

  close(): Promise<void>;
}

export interface NewJob {
  queue: QueueName;
  name: string;
  payload: unknown;
  priority: number;
  /** Absolute start (caller's clock) or null for now + `delayMs` (the store's clock). */
  startAt: Date | null;
  delayMs: number;
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  timeoutMs: number | null;
  singletonKey: string | null;
  /** Throttle/debounce slot length; null for a plain singleton key. */
  singletonSeconds: number | null;
  /** Debounce: when the slot is taken, try the next slot once. */
  singletonNextSlot: boolean;
  /** Lease of the first claim (workers extend it by heartbeats). */
  leaseMs: number;
  tx: JobTransaction | undefined;
}

export interface ClaimedJob {
  id: string;
  queue: QueueName;
  name: string;
  payload: unknown;
  /** Deliveries including this one; doubles as the fencing token of the claim. */
  attempt: number;
  timeoutMs: number | null;
}

export interface FailOutcome {
  message: string;
  /** 'error': retry while attempts are left; 'unrecoverable': fail now; 'later': retry after `delayMs` without using up the limit. */
  kind: 'error' | 'unrecoverable' | 'later';
  delayMs?: number;
  progress?: unknown;
}

export interface ScheduleRow {
  name: string;
  cron: string;
  queue: QueueName;
  payload: unknown;
  /** Epoch ms of the last fired tick (or of creation). */
  lastRun: number;
}

/** Retry delay as pg-boss computes it, so both stores agree: fixed, or exponential with jitter. */
export function retryDelayMs(retryDelaySeconds: number, backoff: boolean, attempt: number, random = Math.random()): number {
  if (!backoff) return retryDelaySeconds * 1000;
  const base = Math.max(1, retryDelaySeconds) * 2 ** Math.min(16, attempt) / 2;
  return Math.round((base + base * random) * 1000);
}
