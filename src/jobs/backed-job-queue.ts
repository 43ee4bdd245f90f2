import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppError } from '../shared/app-error.ts';
import { dueTick, parseCron } from './cron.ts';
import type { JobBackend, NewJob } from './job-backend.ts';
import { JobEvents, type JobEventMap } from './job-events.ts';
import {
  QUEUE_NAMES,
  type EnqueueOptions,
  type JobHandler,
  type JobInfo,
  type JobQueue,
  type ListJobsFilter,
  type QueueName,
  type StopOptions,
  type Unsubscribe,
  type WorkOptions,
} from './job-queue.ts';
import { JobRunner } from './job-runner.ts';
import { isJobState } from './job-state.ts';

/** Tuning shared by both implementations; the defaults suit production, tests shorten them. */
export interface JobQueueOptions {
  /** How long a claim lives without a heartbeat before another worker may take the job (default 30 s). */
  leaseMs?: number;
  /** Lease renewal period of a running job (default leaseMs / 3). */
  heartbeatMs?: number;
  /** Idle poll period of each queue's claim loop (default 1 s; a local enqueue wakes it at once). */
  pollIntervalMs?: number;
  /** Period of the expired-lease sweep (default 5 s). */
  sweepIntervalMs?: number;
  /** Period of the cron check (default 5 s). */
  cronIntervalMs?: number;
  /** Clock for cron evaluation, epoch ms (tests inject one; leases and delays use the store's clock). */
  now?: () => number;
  /** Name of this worker in claims (default host:pid:random). */
  workerId?: string;
}

interface Subscription {
  queue: QueueName;
  handler: JobHandler;
  concurrency: number;
  running: Set<JobRunner>;
  wake: (() => void) | undefined;
  loop: Promise<void> | undefined;
}

/** Resolves `p`, or undefined after `ms`; the timer never outlives the race (no exit delay). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number, onWake: (wake: () => void) => void): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    onWake(() => {
      clearTimeout(t);
      resolve();
    });
  });

/**
 * The one `JobQueue` implementation: claim loops with per-queue concurrency, the lease sweeper and
 * the cron scheduler over a {@link JobBackend}. `sqlite/` and `pg-boss/` only supply the backend.
 * @internal use `createJobQueue`.
 */
export class BackedJobQueue implements JobQueue {
  readonly #backend: JobBackend;
  readonly #events = new JobEvents();
  readonly #subs = new Map<QueueName, Subscription>();
  readonly #leaseMs: number;
  readonly #heartbeatMs: number;
  readonly #pollMs: number;
  readonly #sweepMs: number;
  readonly #cronMs: number;
  readonly #now: () => number;
  readonly #workerId: string;
  #state: 'new' | 'started' | 'stopping' | 'stopped' = 'new';
  #timers: NodeJS.Timeout[] = [];
  #migrated: Promise<void> | undefined;
  /** Sweep and cron passes under way; `stop` waits for them before closing the store. */
  readonly #inflight = new Set<Promise<void>>();

  constructor(backend: JobBackend, options: JobQueueOptions = {}) {
    this.#backend = backend;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(this.#leaseMs / 3));
    this.#pollMs = options.pollIntervalMs ?? 1000;
    this.#sweepMs = options.sweepIntervalMs ?? 5000;
    this.#cronMs = options.cronIntervalMs ?? 5000;
    this.#now = options.now ?? Date.now;
    this.#workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') throw new AppError('CONFLICT', `job queue cannot start: it is ${this.#state}`);
    this.#state = 'started';
    await this.#ready();
    this.#every(this.#sweepMs, 'sweep', async () => {
      const count = await this.#backend.sweep();
      if (count > 0) this.#events.emit('sweep:recovered', { count });
    });
    this.#every(this.#cronMs, 'cron', () => this.runCron());
    for (const sub of this.#subs.values()) this.#startLoop(sub);
  }

  async stop(options: StopOptions): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    const wasStarted = this.#state === 'started';
    this.#state = 'stopping';
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    const subs = [...this.#subs.values()];
    for (const sub of subs) sub.wake?.();
    await Promise.all(subs.map((s) => s.loop));
    const runners = subs.flatMap((s) => [...s.running]);
    if (wasStarted && runners.length > 0) {
      if (options.graceful) await within(Promise.all(runners.map((r) => r.done)), options.timeoutMs ?? 30_000);
      const left = runners.filter((r) => !r.settled);
      for (const r of left) r.abort('shutdown');
      // Give aborted handlers a moment to return, then hand their jobs back for re-delivery.
      await within(Promise.all(left.map((r) => r.done)), 1000);
      await Promise.all(left.map((r) => r.release()));
    }
    await Promise.all(this.#inflight);
    this.#state = 'stopped';
    await this.#backend.close();
  }

  async enqueue<P>(queue: QueueName, name: string, payload: P, options: EnqueueOptions = {}): Promise<string | null> {
    const job = this.#resolve(queue, name, payload, options);
    await this.#ready();
    const id = await this.#backend.insert(job);
    if (id !== null) {
      this.#events.emit('job:enqueued', { id, queue, name });
      if (job.delayMs === 0 && job.startAt === null && options.tx === undefined) this.#subs.get(queue)?.wake?.();
    }
    return id;
  }

  work(queue: QueueName, handler: JobHandler, options: WorkOptions = {}): void {
    assertQueue(queue);
    if (this.#subs.has(queue)) throw new AppError('CONFLICT', `queue ${queue} already has a handler in this process`);
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw invalid('concurrency must be a positive integer');
    const sub: Subscription = { queue, handler, concurrency, running: new Set(), wake: undefined, loop: undefined };
    this.#subs.set(queue, sub);
    if (this.#state === 'started') this.#startLoop(sub);
  }

  async schedule(name: string, cron: string, queue: QueueName, payload: unknown = {}): Promise<void> {
    assertQueue(queue);
    parseCron(cron).nextAfter(this.#now());
    await this.#ready();
    await this.#backend.upsertSchedule({ name, cron, queue, payload, lastRun: this.#now() });
  }

  async unschedule(name: string): Promise<void> {
    await this.#ready();
    await this.#backend.deleteSchedule(name);
  }

  /** One cron pass (also run by the timer): fires each due tick once across all processes. */
  async runCron(): Promise<void> {
    const now = this.#now();
    for (const s of await this.#backend.listSchedules()) {
      const tick = dueTick(parseCron(s.cron), s.lastRun, now);
      if (tick === null || !(await this.#backend.advanceSchedule(s.name, s.lastRun, tick))) continue;
      // The singleton key makes a retried enqueue of the same tick a no-op.
      const jobId = await this.enqueue(s.queue, s.name, s.payload, { singletonKey: `cron:${s.name}:${tick}` });
      this.#events.emit('cron:fired', { schedule: s.name, tick, jobId });
    }
  }

  async cancel(id: string): Promise<boolean> {
    await this.#ready();
    const done = await this.#backend.cancel(id);
    for (const sub of this.#subs.values()) {
      for (const r of sub.running) if (r.job.id === id && done) r.cancelled();
    }
    return done;
  }

  async getJob(id: string): Promise<JobInfo | undefined> {
    await this.#ready();
    return this.#backend.get(id);
  }

  async listJobs(filter: ListJobsFilter = {}): Promise<JobInfo[]> {
    await this.#ready();
    if (filter.queue !== undefined) assertQueue(filter.queue);
    if (filter.state !== undefined && !isJobState(filter.state)) throw invalid(`unknown job state "${String(filter.state)}"`);
    const limit = Math.min(500, Math.max(1, Math.floor(filter.limit ?? 50)));
    const offset = Math.max(0, Math.floor(filter.offset ?? 0));
    return this.#backend.list({ ...filter, limit, offset });
  }

  on<E extends keyof JobEventMap>(event: E, listener: (data: JobEventMap[E]) => void): Unsubscribe {
    return this.#events.on(event, listener);
  }

  /**
   * Runs the queue's migrations (once; later calls share the first). {@link createJobQueue} calls
   * it before handing the queue out: migrating lazily inside a caller's `enqueue(…, { tx })` would
   * wait on the lock that very transaction holds (SQLite: one writer per file).
   */
  migrate(): Promise<void> {
    return this.#ready();
  }

  /** Migrations run once, on first use: a process that only enqueues never needs `start()`. */
  #ready(): Promise<void> {
    if (this.#state === 'stopped') return Promise.reject(new AppError('CONFLICT', 'job queue is stopped'));
    this.#migrated ??= this.#backend.migrate().catch((err: unknown) => {
      this.#migrated = undefined;
      throw err;
    });
    return this.#migrated;
  }

  #every(ms: number, where: string, task: () => Promise<void>): void {
    let busy = false;
    const t = setInterval(() => {
      if (busy) return;
      busy = true;
      const run = task()
        .catch((err: unknown) => this.#events.emit('error', { where, error: err as Error }))
        .finally(() => {
          busy = false;
          this.#inflight.delete(run);
        });
      this.#inflight.add(run);
    }, ms);
    t.unref();
    this.#timers.push(t);
  }

  #startLoop(sub: Subscription): void {
    sub.loop = this.#claimLoop(sub);
  }

  async #claimLoop(sub: Subscription): Promise<void> {
    const settings = { backend: this.#backend, events: this.#events, leaseMs: this.#leaseMs, heartbeatMs: this.#heartbeatMs };
    while (this.#state === 'started') {
      let claimed = false;
      const free = sub.concurrency - sub.running.size;
      if (free > 0) {
        try {
          const jobs = await this.#backend.claim(sub.queue, this.#workerId, this.#leaseMs, free);
          if (jobs.length > 0 && this.#state !== 'started') {
            // Stopped while claiming: give the jobs straight back.
            await Promise.all(jobs.map((job) => new JobRunner(job, settings).release()));
            break;
          }
          for (const job of jobs) {
            claimed = true;
            const runner = new JobRunner(job, settings);
            sub.running.add(runner);
            runner.start(sub.handler);
            void runner.done.finally(() => {
              sub.running.delete(runner);
              sub.wake?.();
            });
          }
        } catch (err) {
          this.#events.emit('error', { where: 'claim', error: err as Error });
        }
      }
      if (!claimed) await sleep(this.#pollMs, (wake) => (sub.wake = wake));
    }
  }

  #resolve(queue: QueueName, name: string, payload: unknown, o: EnqueueOptions): NewJob {
    assertQueue(queue);
    if (typeof name !== 'string' || name.length === 0 || name.length > 200) throw invalid('job name must be 1-200 characters');
    const int = (v: number | undefined, what: string, min: number, fallback: number): number => {
      if (v === undefined) return fallback;
      if (!Number.isInteger(v) || v < min) throw invalid(`${what} must be an integer >= ${min}`);
      return v;
    };
    if (o.throttleSeconds !== undefined && o.debounceSeconds !== undefined) throw invalid('use throttleSeconds or debounceSeconds, not both');
    const slot = o.throttleSeconds ?? o.debounceSeconds;
    try {
      JSON.stringify(payload);
    } catch (err) {
      throw new AppError('VALIDATION_FAILED', 'job payload must be JSON-serialisable', { cause: err });
    }
    const startAt = o.startAfter instanceof Date ? o.startAfter : null;
    return {
      queue,
      name,
      payload: payload ?? null,
      priority: int(o.priority, 'priority', -1_000_000, 0),
      startAt,
      delayMs: typeof o.startAfter === 'number' ? Math.max(0, o.startAfter) : 0,
      retryLimit: int(o.retryLimit, 'retryLimit', 0, 2),
      retryDelaySeconds: int(o.retryDelaySeconds, 'retryDelaySeconds', 0, 0),
      retryBackoff: o.retryBackoff ?? false,
      timeoutMs: o.timeoutMs === undefined ? null : int(o.timeoutMs, 'timeoutMs', 1, 0),
      singletonKey: o.singletonKey ?? null,
      singletonSeconds: slot === undefined ? null : int(slot, 'throttle/debounce seconds', 1, 1),
      singletonNextSlot: o.debounceSeconds !== undefined,
      leaseMs: this.#leaseMs,
      tx: o.tx,
    };
  }
}

function invalid(message: string): AppError {
  return new AppError('VALIDATION_FAILED', message);
}

function assertQueue(queue: string): asserts queue is QueueName {
  if (!(QUEUE_NAMES as readonly string[]).includes(queue)) {
    throw new AppError('VALIDATION_FAILED', `unknown queue "${queue}"`, { details: { queues: [...QUEUE_NAMES] } });
  }
}
