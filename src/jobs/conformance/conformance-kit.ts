import type { Kysely } from 'kysely';
import type { JobQueueOptions } from '../backed-job-queue.ts';
import type { JobInfo, JobQueue } from '../job-queue.ts';

/** One fresh, empty database for one test; `open` may be called several times (= several processes). */
export interface ConformanceDatabase {
  open(options?: JobQueueOptions): Promise<JobQueue>;
  /** A Kysely connection of the caller's own on the same database (for `enqueue(…, { tx })`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  kysely(): Kysely<any>;
  drop(): Promise<void>;
}

export type MakeConformanceDatabase = () => Promise<ConformanceDatabase>;

/** Short timings so every case runs in a few seconds. */
export const FAST: JobQueueOptions = {
  leaseMs: 2000,
  heartbeatMs: 100,
  pollIntervalMs: 50,
  sweepIntervalMs: 200,
  cronIntervalMs: 50,
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

export async function waitForState(q: JobQueue, id: string, states: JobInfo['state'][], timeoutMs?: number): Promise<JobInfo> {
  return waitFor(`job ${id} to reach ${states.join('|')}`, async () => {
    const j = await q.getJob(id);
    return j !== undefined && states.includes(j.state) ? j : undefined;
  }, timeoutMs);
}

/** A promise with its resolve handle, to let a test release a running handler. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/** Resolves when the signal aborts (a handler that runs until cancelled). */
export function untilAborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
  });
}
