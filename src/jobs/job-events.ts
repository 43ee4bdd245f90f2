import type { JobAbortReason, QueueName } from './job-queue.ts';

/** Identifies a job in events. */
export interface JobRef {
  id: string;
  queue: QueueName;
  name: string;
  attempt: number;
}

/** Lifecycle events of a queue instance (emitted by the process that runs the job). */
export interface JobEventMap {
  'job:started': { job: JobRef };
  'job:completed': { job: JobRef; durationMs: number };
  /** `nextState` is 'retry' when another attempt is scheduled. */
  'job:failed': { job: JobRef; error: Error; nextState: 'retry' | 'failed'; durationMs: number };
  /** The handler's signal was aborted (its outcome is then decided by the reason). */
  'job:aborted': { job: JobRef; reason: JobAbortReason };
  /** Also emitted for `enqueue(…, { tx })`, before the caller's transaction commits (or not). */
  'job:enqueued': { id: string; queue: QueueName; name: string };
  /** A cron tick enqueued its job (only in the process that won the compare-and-set). */
  'cron:fired': { schedule: string; tick: number; jobId: string | null };
  /** The sweeper moved jobs with expired leases back to retry (or failed). */
  'sweep:recovered': { count: number };
  /** An internal loop (poll, heartbeat, sweep, cron) failed; it keeps running. */
  error: { where: string; error: Error };
}

type Listener<T> = (data: T) => void;

/** A minimal typed emitter; a throwing listener is isolated so it cannot break the worker loop. */
export class JobEvents {
  readonly #listeners = new Map<keyof JobEventMap, Set<Listener<never>>>();

  on<E extends keyof JobEventMap>(event: E, listener: Listener<JobEventMap[E]>): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  emit<E extends keyof JobEventMap>(event: E, data: JobEventMap[E]): void {
    for (const l of this.#listeners.get(event) ?? []) {
      try {
        (l as Listener<JobEventMap[E]>)(data);
      } catch {
        // A metrics hook must never fail a job.
      }
    }
  }
}
