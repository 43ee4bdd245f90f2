import type { ClaimedJob, FailOutcome, JobBackend } from './job-backend.ts';
import { RetryLaterError, UnrecoverableError } from './job-errors.ts';
import type { JobEvents, JobRef } from './job-events.ts';
import type { JobAbortReason, JobContext, JobHandler, QueueName } from './job-queue.ts';

/** Settings a runner needs from its queue. @internal */
export interface RunnerSettings {
  backend: JobBackend;
  events: JobEvents;
  leaseMs: number;
  heartbeatMs: number;
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(typeof err === 'string' ? err : JSON.stringify(err));
}

/**
 * Runs one claimed job: a lease heartbeat, the optional timeout, cancel/lease-loss detection and
 * the final compare-and-set. Exactly one outcome is written per claim: whichever of "handler
 * settled", "timed out", "released at shutdown" comes first (`#settled` guards the rest); a lost
 * claim writes nothing, the store already moved on.
 * @internal
 */
export class JobRunner {
  readonly job: ClaimedJob;
  readonly #s: RunnerSettings;
  readonly #abort = new AbortController();
  readonly #ref: JobRef;
  readonly #startedAt = Date.now();
  #settled = false;
  #progress: unknown = undefined;
  #timers: NodeJS.Timeout[] = [];
  /** Resolves when the handler itself has returned or thrown (even after an abort). */
  done: Promise<void> = Promise.resolve();

  constructor(job: ClaimedJob, settings: RunnerSettings) {
    this.job = job;
    this.#s = settings;
    this.#ref = { id: job.id, queue: job.queue, name: job.name, attempt: job.attempt };
  }

  get settled(): boolean {
    return this.#settled;
  }

  start(handler: JobHandler): void {
    const { events, heartbeatMs } = this.#s;
    events.emit('job:started', { job: this.#ref });
    this.#timers.push(setInterval(() => void this.#beat(), heartbeatMs));
    if (this.job.timeoutMs !== null) {
      const ms = this.job.timeoutMs;
      this.#timers.push(setTimeout(() => void this.#timeout(ms), ms));
    }
    const ctx: JobContext = {
      id: this.job.id,
      queue: this.job.queue as QueueName,
      name: this.job.name,
      payload: this.job.payload,
      attempt: this.job.attempt,
      signal: this.#abort.signal,
      heartbeat: async (progress?: unknown) => {
        if (progress !== undefined) this.#progress = progress;
        await this.#beat();
      },
    };
    this.done = (async () => {
      try {
        const output = await handler(ctx);
        await this.#finish(async () => {
          if (await this.#s.backend.complete(this.job, output)) {
            events.emit('job:completed', { job: this.#ref, durationMs: Date.now() - this.#startedAt });
          }
        });
      } catch (err) {
        // A handler that gives up because we aborted it for shutdown is handed back, not failed.
        const error = this.#abort.signal.reason === 'shutdown' ? new RetryLaterError(0, 'worker shut down while the job was running') : toError(err);
        await this.#finish(() => this.#fail(error));
      } finally {
        this.#clearTimers();
      }
    })();
  }

  /** Aborts the handler (cancel in this process, shutdown). */
  abort(reason: JobAbortReason): void {
    if (this.#abort.signal.aborted) return;
    this.#s.events.emit('job:aborted', { job: this.#ref, reason });
    this.#abort.abort(reason);
  }

  /** The job was cancelled (by this process): nothing more is written for this claim. */
  cancelled(): void {
    this.#settled = true;
    this.#clearTimers();
    this.abort('cancelled');
  }

  /** Shutdown: hand the job back for immediate re-delivery without using up its retry budget. */
  async release(): Promise<void> {
    await this.#finish(() => this.#fail(new RetryLaterError(0, 'worker shut down while the job was running')));
  }

  /** Runs `write` unless an outcome was already written for this claim. */
  async #finish(write: () => Promise<void>): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    this.#clearTimers();
    try {
      await write();
    } catch (err) {
      // The lease will expire and the sweeper re-delivers the job: at-least-once still holds.
      this.#s.events.emit('error', { where: 'finish', error: toError(err) });
    }
  }

  async #fail(error: Error): Promise<void> {
    const outcome: FailOutcome =
      error instanceof UnrecoverableError
        ? { kind: 'unrecoverable', message: error.message }
        : error instanceof RetryLaterError
          ? { kind: 'later', message: error.message, delayMs: error.delayMs }
          : { kind: 'error', message: error.message || error.name };
    outcome.progress = this.#progress;
    const next = await this.#s.backend.fail(this.job, outcome);
    if (next !== null) {
      this.#s.events.emit('job:failed', { job: this.#ref, error, nextState: next, durationMs: Date.now() - this.#startedAt });
    }
  }

  async #timeout(ms: number): Promise<void> {
    if (this.#settled) return;
    this.abort('timeout');
    await this.#finish(() => this.#fail(new Error(`job timed out after ${ms} ms`)));
  }

  async #beat(): Promise<void> {
    if (this.#settled) return;
    try {
      const held = await this.#s.backend.heartbeat(this.job, this.#s.leaseMs, this.#progress);
      if (held || this.#settled) return;
      // Someone else decided this job: a cancel, or the sweeper after our lease ran out.
      this.#settled = true;
      this.#clearTimers();
      const now = await this.#s.backend.get(this.job.id);
      this.abort(now?.state === 'cancelled' ? 'cancelled' : 'lease-lost');
    } catch (err) {
      this.#s.events.emit('error', { where: 'heartbeat', error: toError(err) });
    }
  }

  #clearTimers(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers = [];
  }
}
