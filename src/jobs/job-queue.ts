/**
 * The `JobQueue` port: a durable job system with two implementations that pass one conformance
 * suite (`job-queue.conformance.ts`): an embedded one on the SQLite file (`sqlite/`) and pg-boss on
 * PostgreSQL (`pg-boss/`). Callers (HTTP, CLI, export, clustering) code against this file only and
 * get a concrete queue from `create-job-queue.ts`.
 *
 * Delivery is at-least-once: a job whose worker dies (lease not renewed) is re-delivered, and each
 * delivery counts as one attempt. Handlers must therefore be idempotent per job id.
 */
import type { Kysely } from 'kysely';
import type { JobEventMap } from './job-events.ts';
import type { JobState } from './job-state.ts';

export { JOB_STATES, JOB_TRANSITIONS, canTransition, type JobState } from './job-state.ts';
export type { JobEventMap, JobRef } from './job-events.ts';
export { RetryLaterError, UnrecoverableError } from './job-errors.ts';

/** The named queues. Workers subscribe per queue; a queue never sees another queue's jobs. */
export const QUEUE_NAMES = ['default', 'async_export', 'high_priority'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * An open transaction (or connection) of the caller on the SAME database as the queue, as a Kysely
 * instance. When given to `enqueue`, the job row is written through it, so the job exists if and
 * only if the caller's transaction commits ("enqueue inside the same transaction as the row it
 * belongs to"). Typed loosely on purpose: any `Kysely<DB>` / `Transaction<DB>` fits.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobTransaction = Kysely<any>;

export interface EnqueueOptions {
  /** Higher runs first within a queue (integer, default 0). */
  priority?: number;
  /** Do not start before this moment (a Date) or this many milliseconds from now (a number). */
  startAfter?: Date | number;
  /** Retries after the first attempt (default 2, so 3 attempts at most; bk-log's stated intent). */
  retryLimit?: number;
  /** Delay before a retry, whole seconds (default 0). */
  retryDelaySeconds?: number;
  /**
   * Exponential backoff: the n-th retry waits between `retryDelaySeconds·2^(n-1)` and twice that
   * (jittered). A base delay below 1 s is raised to 1 s. Default false (fixed delay).
   */
  retryBackoff?: boolean;
  /** Abort the handler's signal and fail the attempt after this long (default: no timeout). */
  timeoutMs?: number;
  /**
   * At most one created/retry/active job per key within the queue: `enqueue` returns null while
   * one exists. Combined with `throttleSeconds`/`debounceSeconds` the key is scoped to a time slot.
   */
  singletonKey?: string;
  /** At most one job per (key, slot of this many seconds); later sends in the slot return null. */
  throttleSeconds?: number;
  /**
   * Like throttle, but a send into a taken slot is deferred to the start of the next slot (once);
   * returns null only when the next slot is taken too.
   */
  debounceSeconds?: number;
  /** Write the job through the caller's transaction (see {@link JobTransaction}). */
  tx?: JobTransaction;
}

/** What a handler receives for one delivery of a job. */
export interface JobContext<P = unknown> {
  readonly id: string;
  readonly queue: QueueName;
  readonly name: string;
  readonly payload: P;
  /** 1 for the first delivery, +1 for every re-delivery (retry, timeout, lost lease). */
  readonly attempt: number;
  /**
   * Aborted on timeout, on cancel, when the lease was lost, and at the end of a graceful stop.
   * `signal.reason` is a {@link JobAbortReason}.
   */
  readonly signal: AbortSignal;
  /** Extends the lease and records progress (any JSON value) visible in `getJob`. */
  heartbeat(progress?: unknown): Promise<void>;
}

export type JobAbortReason = 'timeout' | 'cancelled' | 'lease-lost' | 'shutdown';

/** A handler resolves to complete the job (the value is stored as output) or throws to fail the attempt. */
export type JobHandler<P = unknown> = (job: JobContext<P>) => Promise<unknown>;

export interface WorkOptions {
  /** Jobs of this queue run in parallel in this process (default 1). */
  concurrency?: number;
}

/** One row of the jobs page. Times are epoch milliseconds. */
export interface JobInfo {
  id: string;
  queue: QueueName;
  name: string;
  state: JobState;
  priority: number;
  /** Deliveries so far (0 while never started). */
  attempt: number;
  retryLimit: number;
  payload: unknown;
  createdAt: number;
  startAfter: number;
  startedAt: number | null;
  finishedAt: number | null;
  lastError: string | null;
  progress: unknown;
  output: unknown;
}

export interface ListJobsFilter {
  queue?: QueueName;
  state?: JobState;
  /** Page size (default 50, at most 500). */
  limit?: number;
  offset?: number;
}

export interface StopOptions {
  /**
   * true: stop claiming, wait up to `timeoutMs` for running handlers, then abort the rest
   * (reason 'shutdown') and let their attempts be re-delivered. false: abort at once.
   */
  graceful: boolean;
  timeoutMs?: number;
}

export type Unsubscribe = () => void;

/** The job system port. Every method is safe to call from several processes on one database. */
export interface JobQueue {
  /** Migrates its tables, then starts the sweeper, the cron scheduler and registered workers. */
  start(): Promise<void>;
  /** Stops claiming and scheduling; see {@link StopOptions}. Closes the queue's own connections. */
  stop(options: StopOptions): Promise<void>;

  /** Creates a job; returns its id, or null when a singleton/throttle/debounce key suppressed it. */
  enqueue<P>(queue: QueueName, name: string, payload: P, options?: EnqueueOptions): Promise<string | null>;

  /**
   * Registers the handler of a queue in this process (one handler per queue; dispatch on
   * `job.name` inside). Claiming begins at `start()` (or at once if already started).
   */
  work(queue: QueueName, handler: JobHandler, options?: WorkOptions): void;

  /**
   * Creates or replaces a cron schedule (5 fields, UTC, see `cron.ts`). Idempotent across
   * processes: each tick enqueues exactly one job, whichever process notices it first.
   */
  schedule(name: string, cron: string, queue: QueueName, payload?: unknown): Promise<void>;
  unschedule(name: string): Promise<void>;

  /**
   * Cancels a created/retry/active job (compare-and-set); a running handler's signal is aborted
   * (at once in this process, within one heartbeat elsewhere). false if it was already final.
   */
  cancel(id: string): Promise<boolean>;

  getJob(id: string): Promise<JobInfo | undefined>;
  /** Newest first. */
  listJobs(filter?: ListJobsFilter): Promise<JobInfo[]>;

  /** Subscribes to lifecycle events (metrics, logs, tests). */
  on<E extends keyof JobEventMap>(event: E, listener: (data: JobEventMap[E]) => void): Unsubscribe;
}
