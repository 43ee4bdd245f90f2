import { expect, it } from 'vitest';
import { isAppError } from '../../shared/app-error.ts';
import type { ConformanceContext } from '../job-queue.conformance.ts';
import type { JobQueue, QueueName } from '../job-queue.ts';
import { gate, sleep, untilAborted, waitFor, waitForState } from './conformance-kit.ts';

const minute = (iso: string): number => Date.parse(iso);

/** Cron, singleton keys, cancel, shutdown and the jobs page. Registered by `describeJobQueueConformance`. */
export function describeControlConformance(ctx: ConformanceContext): void {
  it('fires a cron tick exactly once across two processes, without double firing', async () => {
    let now = minute('2030-01-01T10:00:30Z');
    const clock = (): number => now;
    const a = await ctx.open({ now: clock });
    const b = await ctx.open({ now: clock });
    const ran: unknown[] = [];
    a.work('default', async (job) => void ran.push(job.payload));
    await a.start();
    await b.start();
    await a.schedule('every-minute', '* * * * *', 'default', { k: 'tick' });
    await b.schedule('every-minute', '* * * * *', 'default', { k: 'tick' });
    await sleep(300);
    expect(ran).toEqual([]);
    now = minute('2030-01-01T10:01:05Z');
    await waitFor('first tick', () => ran.length === 1);
    await sleep(400);
    now = minute('2030-01-01T10:02:00Z');
    await waitFor('second tick', () => ran.length === 2);
    await sleep(400);
    expect(ran).toEqual([{ k: 'tick' }, { k: 'tick' }]);
    const jobs = await a.listJobs({ queue: 'default' });
    expect(jobs.map((j) => j.name)).toEqual(['every-minute', 'every-minute']);
    await a.unschedule('every-minute');
    now = minute('2030-01-01T10:03:00Z');
    await sleep(400);
    expect(ran.length).toBe(2);
  });

  it('rejects bad input: cron expression, queue, payload, options, state filter', async () => {
    const q = await ctx.open();
    await q.start();
    await expect(q.schedule('x', '61 * * * *', 'default')).rejects.toSatisfy((e) => isAppError(e, 'VALIDATION_FAILED'));
    await expect(q.enqueue('nope' as QueueName, 'x', {})).rejects.toSatisfy((e) => isAppError(e, 'VALIDATION_FAILED'));
    await expect(q.enqueue('default', 'x', { n: 1n })).rejects.toSatisfy((e) => isAppError(e, 'VALIDATION_FAILED'));
    await expect(q.enqueue('default', 'x', {}, { retryLimit: -1 })).rejects.toSatisfy((e) => isAppError(e, 'VALIDATION_FAILED'));
    await expect(q.listJobs({ state: 'done' as never })).rejects.toSatisfy((e) => isAppError(e, 'VALIDATION_FAILED'));
    expect(await q.listJobs()).toEqual([]);
  });

  it('singleton key suppresses duplicates while one is live', async () => {
    const q = await ctx.open();
    await q.start();
    const first = await q.enqueue('default', 'export', {}, { singletonKey: 'index-set-7' });
    expect(first).not.toBeNull();
    expect(await q.enqueue('default', 'export', {}, { singletonKey: 'index-set-7' })).toBeNull();
    // Keys are per queue, and other keys are independent.
    expect(await q.enqueue('async_export', 'export', {}, { singletonKey: 'index-set-7' })).not.toBeNull();
    expect(await q.enqueue('default', 'export', {}, { singletonKey: 'index-set-8' })).not.toBeNull();
    q.work('default', async () => 'ok');
    await waitForState(q, first!, ['completed']);
    expect(await q.enqueue('default', 'export', {}, { singletonKey: 'index-set-7' })).not.toBeNull();
  });

  it('throttle drops sends within the slot; debounce defers one into the next slot', async () => {
    const q = await ctx.open();
    await q.start();
    expect(await q.enqueue('default', 't', {}, { singletonKey: 'k', throttleSeconds: 3600 })).not.toBeNull();
    expect(await q.enqueue('default', 't', {}, { singletonKey: 'k', throttleSeconds: 3600 })).toBeNull();
    const d1 = await q.enqueue('default', 'd', {}, { singletonKey: 'd', debounceSeconds: 3600 });
    const d2 = await q.enqueue('default', 'd', {}, { singletonKey: 'd', debounceSeconds: 3600 });
    const d3 = await q.enqueue('default', 'd', {}, { singletonKey: 'd', debounceSeconds: 3600 });
    expect(d1).not.toBeNull();
    expect(d2).not.toBeNull();
    expect(d3).toBeNull();
    const deferred = await q.getJob(d2!);
    const slotStart = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
    expect(Math.abs(deferred!.startAfter - slotStart)).toBeLessThan(2000);
  });

  it('cancels a queued job so it never runs', async () => {
    const q = await ctx.open();
    const ran: string[] = [];
    const id = await q.enqueue('default', 'c', {});
    expect(await q.cancel(id!)).toBe(true);
    expect(await q.cancel(id!)).toBe(false);
    q.work('default', async (job) => void ran.push(job.id));
    await q.start();
    const marker = await q.enqueue('default', 'marker', {});
    await waitForState(q, marker!, ['completed']);
    expect(ran).toEqual([marker]);
    expect((await q.getJob(id!))?.state).toBe('cancelled');
  });

  it('cancels a running job: its signal aborts, locally and from another process', async () => {
    const a = await ctx.open();
    const b = await ctx.open();
    const reasons: unknown[] = [];
    a.work(
      'default',
      async (job) => {
        reasons.push(await untilAborted(job.signal));
        return 'finished anyway';
      },
      { concurrency: 2 },
    );
    await a.start();
    await b.start();
    const local = await a.enqueue('default', 'run', {});
    const remote = await a.enqueue('default', 'run', {});
    await waitForState(a, local!, ['active']);
    await waitForState(a, remote!, ['active']);
    expect(await a.cancel(local!)).toBe(true);
    await waitFor('local abort', () => reasons.length === 1);
    expect(await b.cancel(remote!)).toBe(true);
    await waitFor('remote abort', () => reasons.length === 2);
    expect(reasons).toEqual(['cancelled', 'cancelled']);
    await sleep(200);
    expect((await a.getJob(local!))?.state).toBe('cancelled');
    expect((await a.getJob(remote!))?.state).toBe('cancelled');
  });

  it('graceful stop waits for the running job to finish', async () => {
    const q = await ctx.open();
    const started = gate();
    let finished = false;
    q.work('default', async () => {
      started.open();
      await sleep(600);
      finished = true;
      return 'done';
    });
    await q.start();
    const id = await q.enqueue('default', 'long', {});
    await started.promise;
    await q.stop({ graceful: true, timeoutMs: 10_000 });
    expect(finished).toBe(true);
    const observer = await ctx.open();
    expect((await observer.getJob(id!))?.state).toBe('completed');
  });

  it('graceful stop past its timeout aborts the handler and hands the job back', async () => {
    const q = await ctx.open();
    const started = gate();
    let reason: unknown;
    q.work('default', async (job) => {
      started.open();
      reason = await untilAborted(job.signal);
      throw new Error('aborted');
    });
    await q.start();
    const id = await q.enqueue('default', 'stuck', {}, { retryLimit: 0 });
    await started.promise;
    await q.stop({ graceful: true, timeoutMs: 200 });
    expect(reason).toBe('shutdown');
    const next = await ctx.open();
    const handedBack = await next.getJob(id!);
    expect(handedBack?.state).toBe('retry');
    next.work('default', async (job) => job.attempt);
    await next.start();
    const done = await waitForState(next, id!, ['completed', 'failed']);
    expect(done.state).toBe('completed');
    expect(done.output).toBe(2);
  });

  it('lists and gets jobs with state, attempts and errors', async () => {
    const q = await ctx.open();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await q.enqueue('high_priority', `n${i}`, { i }))!);
    const failing = await q.enqueue('async_export', 'fails', {}, { retryLimit: 0 });
    q.work('async_export', async () => {
      throw new Error('disk full');
    });
    await q.start();
    await waitForState(q, failing!, ['failed']);

    expect(await q.getJob('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    const all = await q.listJobs();
    expect(all.map((j) => j.id)).toEqual([failing, ...ids.slice().reverse()]);
    const page = await q.listJobs({ queue: 'high_priority', limit: 2, offset: 1 });
    expect(page.map((j) => j.name)).toEqual(['n3', 'n2']);
    const failed = await q.listJobs({ state: 'failed' });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ id: failing, queue: 'async_export', name: 'fails', attempt: 1, retryLimit: 0, lastError: 'disk full' });
    expect(failed[0]!.startedAt).not.toBeNull();
    expect(failed[0]!.finishedAt).toBeGreaterThanOrEqual(failed[0]!.startedAt!);
    const one = await q.getJob(ids[2]!);
    expect(one).toMatchObject({ state: 'created', attempt: 0, payload: { i: 2 }, startedAt: null, finishedAt: null, lastError: null });
  });

  it('rejects a second handler for a queue in one process', async () => {
    const q: JobQueue = await ctx.open();
    q.work('default', async () => 1);
    expect(() => q.work('default', async () => 2)).toThrow(/already has a handler/);
  });
}
