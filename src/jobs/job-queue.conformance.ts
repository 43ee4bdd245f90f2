import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobQueueOptions } from './backed-job-queue.ts';
import { FAST, gate, sleep, untilAborted, waitFor, waitForState, type ConformanceDatabase, type MakeConformanceDatabase } from './conformance/conformance-kit.ts';
import { describeControlConformance } from './conformance/control-cases.ts';
import { RetryLaterError, UnrecoverableError, type JobQueue } from './job-queue.ts';

/** What each case gets: `open` a started-or-not queue on this test's fresh database. */
export interface ConformanceContext {
  db: ConformanceDatabase;
  open(options?: JobQueueOptions): Promise<JobQueue>;
}

/**
 * The ONE conformance suite of the `JobQueue` port, run against every implementation
 * (`sqlite/sqlite-job-queue.test.ts`, `pg-boss/pg-boss-job-queue.test.ts`). Each case gets a fresh
 * database; timings are shortened through `JobQueueOptions` so no case needs long sleeps.
 */
export function describeJobQueueConformance(name: string, makeDatabase: MakeConformanceDatabase): void {
  describe(`JobQueue conformance: ${name}`, () => {
    const ctx = {} as ConformanceContext;
    let opened: JobQueue[] = [];

    beforeEach(async () => {
      opened = [];
      ctx.db = await makeDatabase();
      ctx.open = async (options = {}) => {
        const q = await ctx.db.open({ ...FAST, ...options });
        opened.push(q);
        return q;
      };
    });

    afterEach(async () => {
      await Promise.all(opened.map((q) => q.stop({ graceful: false })));
      await ctx.db.drop();
    });

    it('keeps named queues apart', async () => {
      const q = await ctx.open();
      const seen: string[] = [];
      q.work('async_export', async (job) => void seen.push(`${job.queue}/${job.name}`));
      await q.start();
      const other = await q.enqueue('default', 'a', { n: 1 });
      const mine = await q.enqueue('async_export', 'b', { n: 2 });
      await waitForState(q, mine!, ['completed']);
      await sleep(200);
      expect(seen).toEqual(['async_export/b']);
      expect((await q.getJob(other!))?.state).toBe('created');
    });

    it('runs higher priority first', async () => {
      const q = await ctx.open();
      const order: number[] = [];
      await q.start();
      for (const p of [0, 10, 5, -1]) await q.enqueue('default', 'p', { p }, { priority: p });
      q.work('default', async (job) => void order.push((job.payload as { p: number }).p));
      await waitFor('4 jobs', () => order.length === 4);
      expect(order).toEqual([10, 5, 0, -1]);
    });

    it('retries with exponential backoff, then fails with the last error', async () => {
      const q = await ctx.open();
      const starts: number[] = [];
      const failed: string[] = [];
      q.on('job:failed', (e) => failed.push(e.nextState));
      q.work('default', async (job) => {
        starts.push(Date.now());
        throw new Error(`boom ${job.attempt}`);
      });
      await q.start();
      const id = await q.enqueue('default', 'flaky', {}, { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true });
      const job = await waitForState(q, id!, ['failed'], 15_000);
      expect(job.attempt).toBe(3);
      expect(job.retryLimit).toBe(2);
      expect(job.lastError).toBe('boom 3');
      expect(job.finishedAt).not.toBeNull();
      expect(failed).toEqual(['retry', 'retry', 'failed']);
      // Backoff: the first retry waits >= 1 s, the second >= 2 s (the base doubles).
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(950);
      expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(1950);
    });

    it('UnrecoverableError fails at once; RetryLaterError does not use up the retry limit', async () => {
      const q = await ctx.open();
      q.work('default', async (job) => {
        if (job.name === 'bad') throw new UnrecoverableError('payload is garbage');
        if (job.attempt < 3) throw new RetryLaterError(50);
        return { ok: job.attempt };
      });
      await q.start();
      const bad = await q.enqueue('default', 'bad', {}, { retryLimit: 5 });
      const later = await q.enqueue('default', 'later', {}, { retryLimit: 0 });
      const b = await waitForState(q, bad!, ['failed']);
      expect(b.attempt).toBe(1);
      expect(b.lastError).toBe('payload is garbage');
      const l = await waitForState(q, later!, ['completed', 'failed']);
      expect(l.state).toBe('completed');
      expect(l.attempt).toBe(3);
      expect(l.output).toEqual({ ok: 3 });
    });

    it('times out: aborts the signal and fails the attempt', async () => {
      const q = await ctx.open();
      let reason: unknown;
      q.work('default', async (job) => {
        reason = await untilAborted(job.signal);
      });
      await q.start();
      const id = await q.enqueue('default', 'slow', {}, { timeoutMs: 300, retryLimit: 0 });
      const job = await waitForState(q, id!, ['failed']);
      expect(job.lastError).toMatch(/timed out after 300 ms/);
      expect(reason).toBe('timeout');
    });

    it('a timed-out attempt is retried when attempts are left', async () => {
      const q = await ctx.open();
      q.work('default', async (job) => {
        if (job.attempt === 1) await untilAborted(job.signal);
        return 'second time lucky';
      });
      await q.start();
      const id = await q.enqueue('default', 'slow-once', {}, { timeoutMs: 200, retryLimit: 1 });
      const job = await waitForState(q, id!, ['completed', 'failed']);
      expect(job.state).toBe('completed');
      expect(job.attempt).toBe(2);
      expect(job.output).toBe('second time lucky');
    });

    it('delays a job until startAfter', async () => {
      const q = await ctx.open();
      q.work('default', async () => 'ran');
      await q.start();
      const id = await q.enqueue('default', 'later', {}, { startAfter: 1000 });
      // Workers poll every 50 ms: a job that is not delayed would be claimed by now.
      await sleep(250);
      expect((await q.getJob(id!))?.state).toBe('created');
      const job = await waitForState(q, id!, ['completed']);
      expect(job.startedAt! - job.createdAt).toBeGreaterThanOrEqual(990);
      const abs = await q.enqueue('default', 'at', {}, { startAfter: new Date(Date.now() + 600) });
      const j2 = await waitForState(q, abs!, ['completed']);
      expect(j2.startedAt! - j2.createdAt).toBeGreaterThanOrEqual(550);
    });

    it('runs at most `concurrency` jobs of a queue at once', async () => {
      const q = await ctx.open();
      const release = gate();
      let running = 0;
      let peak = 0;
      q.work(
        'default',
        async () => {
          peak = Math.max(peak, ++running);
          await release.promise;
          running--;
        },
        { concurrency: 3 },
      );
      await q.start();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await q.enqueue('default', 'c', { i }))!);
      await waitFor('3 running', () => running === 3);
      await sleep(300);
      expect((await q.listJobs({ state: 'active' })).length).toBe(3);
      release.open();
      for (const id of ids) await waitForState(q, id, ['completed']);
      expect(peak).toBe(3);
    });

    it('a worker that lost its lease cannot overwrite the outcome of the one that took over', async () => {
      // `stale` never renews its 300 ms lease (as if its event loop were stuck).
      const stale = await ctx.open({ leaseMs: 300, heartbeatMs: 60_000 });
      const started = gate();
      const release = gate();
      stale.work('default', async () => {
        started.open();
        await release.promise;
        return 'stale';
      });
      await stale.start();
      const id = await stale.enqueue('default', 'x', {}, { retryLimit: 1 });
      await started.promise;
      const fresh = await ctx.open();
      fresh.work('default', async (job) => `fresh ${job.attempt}`);
      await fresh.start();
      const done = await waitForState(fresh, id!, ['completed']);
      expect(done).toMatchObject({ output: 'fresh 2', attempt: 2 });
      expect(done.lastError).toMatch(/lease expired/);
      const staleCompleted: string[] = [];
      stale.on('job:completed', (e) => staleCompleted.push(e.job.id));
      release.open();
      await sleep(300);
      expect(staleCompleted).toEqual([]);
      expect((await fresh.getJob(id!))?.output).toBe('fresh 2');
    });

    it('two workers on one database never run a job twice', async () => {
      const a = await ctx.open();
      const b = await ctx.open();
      const runs = new Map<string, number>();
      const handler = async (job: { id: string }): Promise<void> => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await sleep(5);
      };
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) ids.push((await a.enqueue('default', 'n', { i }))!);
      a.work('default', handler, { concurrency: 3 });
      b.work('default', handler, { concurrency: 3 });
      await Promise.all([a.start(), b.start()]);
      await waitFor('all done', async () => (await a.listJobs({ state: 'completed', limit: 100 })).length === 40);
      expect([...runs.keys()].sort()).toEqual(ids.slice().sort());
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
    });

    it('records progress from heartbeats', async () => {
      const q = await ctx.open();
      const release = gate();
      q.work('default', async (job) => {
        await job.heartbeat({ rows: 42 });
        await release.promise;
      });
      await q.start();
      const id = await q.enqueue('default', 'progress', {});
      await waitFor('progress', async () => {
        const j = await q.getJob(id!);
        return j?.state === 'active' && (j.progress as { rows?: number } | null)?.rows === 42;
      });
      release.open();
      const done = await waitForState(q, id!, ['completed']);
      expect(done.progress).toEqual({ rows: 42 });
    });

    it('enqueues inside the caller transaction: rollback leaves no job, commit does', async () => {
      const q = await ctx.open();
      await q.start();
      const db = ctx.db.kysely();
      try {
        let rolledBack: string | null = null;
        await db
          .transaction()
          .execute(async (tx) => {
            rolledBack = await q.enqueue('default', 'in-tx', { v: 1 }, { tx });
            throw new Error('rollback');
          })
          .catch(() => undefined);
        expect(rolledBack).not.toBeNull();
        expect(await q.getJob(rolledBack!)).toBeUndefined();
        const committed = await db.transaction().execute((tx) => q.enqueue('default', 'in-tx', { v: 2 }, { tx }));
        expect((await q.getJob(committed!))?.payload).toEqual({ v: 2 });
        const n = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
        expect(n.rows.length).toBe(1);
      } finally {
        await db.destroy();
      }
    });

    describeControlConformance(ctx);
  });
}
