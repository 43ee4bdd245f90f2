/**
 * The export service's request side on SQLite and PostgreSQL: validation (nothing written on bad
 * input), the atomic per-user running limit under parallel creates, the duplicate guard, cancel,
 * history with retry_able / data_expired, the synchronous export and the periodic jobs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobContext } from '../src/jobs/job-queue.ts';
import { ExportService } from '../src/export/export-service.ts';
import { exportMaintenanceHandlers } from '../src/export/export-maintenance.ts';
import { STUCK_TASK_REASON } from '../src/export/export-status.ts';
import { BASE_TS, parseNdjson, readAll, setupExportEnv, sortDesc, type ExportEnv } from '../src/export/testing/export-test-kit.ts';
import { BACKENDS, createTestContext } from './support/test-context.ts';

const DAY = 86_400_000;
const range = (i = 0) => ({ startTime: BASE_TS + i, endTime: BASE_TS + 3_600_000 });

/** Runs the worker handler in-line for one task (no worker is registered in this file). */
const runJob = (env: ExportEnv, taskId: number) =>
  env.feature.jobHandler({
    id: `inline-${taskId}`, queue: 'async_export', name: 'export.run', payload: { taskId, maxAttempts: 1 }, attempt: 1,
    signal: new AbortController().signal, heartbeat: async () => {},
  } as JobContext);

describe.each(BACKENDS)('export service on %s', (backend) => {
  let env: ExportEnv;
  beforeAll(async () => {
    env = await setupExportEnv(() => createTestContext(backend), { rows: 300, worker: false, overrides: { limits: { syncMaxRows: 100 } } });
  }, 60_000);
  afterAll(async () => env?.cleanup());

  const cancelAll = async (who = env.ann) => {
    const { list } = await env.service.history({ bkBizId: 1, showAll: true, page: 1, pageSize: 1000 }, env.admin);
    for (const t of list) {
      if (t.exportCreatedBy === who.username && ['queued', 'download_log'].includes(t.exportStatus)) await env.service.cancel(t.id, who);
    }
  };
  const taskCount = async () => (await env.service.history({ bkBizId: 1, showAll: true, page: 1, pageSize: 1 }, env.admin)).total;

  it('rejects bad input with a clear 4xx and writes nothing', async () => {
    const before = await taskCount();
    const ok = { indexSetIds: [env.indexSet.id], search: range() };
    const cases: Array<[unknown, string, unknown?]> = [
      [{ ...ok, indexSetIds: [999_999] }, 'INDEX_SET_NOT_FOUND'],
      [ok, 'INDEX_SET_NOT_FOUND', env.carol],
      [{ ...ok, search: { startTime: BASE_TS + 10, endTime: BASE_TS } }, 'BAD_TIME_RANGE'],
      [{ ...ok, search: { startTime: 'yesterday', endTime: BASE_TS } }, 'BAD_TIME_RANGE'],
      [{ ...ok, fields: ['n', 'no_such_field'] }, 'UNKNOWN_FIELD'],
      [{ ...ok, fields: ['../../etc/passwd'] }, 'UNKNOWN_FIELD'],
      [{ ...ok, search: { ...range(), query: 'nope:1' } }, 'UNKNOWN_FIELD'],
      [{ ...ok, sortMappings: { [env.indexSet.id]: [['ghost', 'asc']] } }, 'UNKNOWN_FIELD'],
      [{ ...ok, search: { ...range(), query: 'level:(' } }, 'BAD_QUERY'],
      [{ ...ok, indexSetIds: 'x' }, 'VALIDATION_FAILED'],
      [{ ...ok, format: 'xlsx' }, 'VALIDATION_FAILED'],
      [{ ...ok, timeZone: '../../Mars' }, 'VALIDATION_FAILED'],
      [null, 'VALIDATION_FAILED'],
    ];
    for (const [input, code, who] of cases) {
      await expect(env.service.create(input as never, (who as typeof env.ann) ?? env.ann), JSON.stringify(input)).rejects.toMatchObject({ code });
    }
    expect(await taskCount()).toBe(before);
  });

  it('enforces the per-user running limit atomically: 10 parallel creates, exactly 3 succeed', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => env.service.create({ indexSetIds: [env.indexSet.id], search: range(i) }, env.ann)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok.length).toBe(3);
    expect(refused.map((r) => (r.reason as { code: string }).code)).toEqual(Array(7).fill('TOO_MANY_REQUESTS'));
    // Another user is not affected by ann's running exports.
    const bobs = await env.service.create({ indexSetIds: [env.indexSet.id], search: range() }, env.bob);
    await env.service.cancel(bobs.taskId, env.bob);
    await cancelAll();
  });

  it('returns the running task for a duplicate request; cancel of a queued task cancels its job', async () => {
    const input = { indexSetIds: [env.indexSet.id], search: { ...range(), query: 'level:error' }, format: 'csv' as const };
    const first = await env.service.create(input, env.ann);
    const second = await env.service.create(input, env.ann);
    expect(first.duplicate).toBe(false);
    expect(second).toMatchObject({ taskId: first.taskId, duplicate: true });
    await expect(env.service.cancel(first.taskId, env.bob)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const cancelled = await env.service.cancel(first.taskId, env.ann);
    expect(cancelled.exportStatus).toBe('cancelled');
    expect(cancelled.errorMsg).toBe('cancelled by ann');
    const jobs = await env.ctx.jobs.listJobs({ queue: 'async_export', limit: 500 });
    const task = await env.service.get(first.taskId, env.ann);
    expect(jobs.find((j) => (j.payload as { taskId: number }).taskId === task.id)?.state).toBe('cancelled');
    await expect(env.service.cancel(first.taskId, env.ann)).rejects.toMatchObject({ code: 'CONFLICT' });
    // A cancelled task does not block a new identical one.
    const third = await env.service.create(input, env.ann);
    expect(third.taskId).not.toBe(first.taskId);
    await env.service.cancel(third.taskId, env.ann);
  });

  it('lists history with retry_able and the computed data_expired', async () => {
    const old = await env.service.create({ indexSetIds: [env.indexSet.id], search: { startTime: BASE_TS - 40 * DAY, endTime: BASE_TS - 35 * DAY } }, env.ann);
    await env.service.cancel(old.taskId, env.ann);
    const fresh = await env.service.create({ indexSetIds: [env.indexSet.id], search: { startTime: Date.now() - 1000, endTime: Date.now() } }, env.ann);
    await env.service.cancel(fresh.taskId, env.ann);
    const page = await env.service.history({ bkBizId: 1, indexSetId: env.indexSet.id, showAll: false, page: 1, pageSize: 2 }, env.bob);
    expect(page.list.map((t) => t.id)).toEqual([fresh.taskId, old.taskId]);
    expect(page.total).toBeGreaterThan(2);
    expect(page.list[0]).toMatchObject({ exportStatus: 'cancelled', retryAble: true });
    expect(page.list[1]).toMatchObject({ exportStatus: 'data_expired', retryAble: false, bklogStatus: 'data_expired' });
    await expect(env.service.retry(old.taskId, env.ann)).rejects.toMatchObject({ code: 'CONFLICT' });
    const retried = await env.service.retry(fresh.taskId, env.ann);
    expect(retried.taskId).toBeGreaterThan(fresh.taskId);
    await env.service.cancel(retried.taskId, env.ann);
    await expect(env.service.history({ bkBizId: 1, showAll: true, page: 1, pageSize: 10 }, env.carol)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const union = await env.service.history({ bkBizId: 1, unionIndexSetIds: [env.indexSet.id, env.other.id], showAll: false, page: 1, pageSize: 10 }, env.ann);
    expect(union.list.every((t) => t.indexSetType === 'union')).toBe(true);
  });

  it('streams a synchronous export at once, capped, and records a sync history row', async () => {
    const sync = await env.service.exportSync({ indexSetIds: [env.indexSet.id], search: range(), fields: ['n', 'phone'] }, env.ann);
    expect(sync).toMatchObject({ matchingRows: env.rows.length, rows: 100, truncated: true });
    const rows = parseNdjson(await readAll(sync.body));
    expect(rows.map((r) => r.n)).toEqual(sortDesc(env.rows).slice(0, 100).map((r) => r.fields.n));
    expect(rows.every((r) => String(r.phone).endsWith('****'))).toBe(true);
    const view = await env.service.get(sync.taskId, env.ann);
    expect(view).toMatchObject({ exportType: 'sync', exportStatus: 'success', exportedCount: 100 });
  });

  it('periodic jobs: expire links, delete the archive object, fail stuck tasks', async () => {
    const created = await env.service.create({ indexSetIds: [env.indexSet.id], search: range() }, env.ann);
    await runJob(env, created.taskId);
    const done = await env.service.get(created.taskId, env.ann);
    expect(done.exportStatus).toBe('success');
    const key = `exports/task-${created.taskId}/${done.exportPkgName}`;
    expect(await env.feature.deps.storage.stat(key)).not.toBeNull();
    const stuck = await env.service.create({ indexSetIds: [env.indexSet.id], search: range(1) }, env.ann);

    const now = maintenanceAt(env, Date.now() + 60_000);
    expect(await now['export.expire_links']({} as JobContext)).toEqual({ expired: 0 });
    expect(await now['export.fail_stuck']({} as JobContext)).toEqual({ failed: 0 });

    const later = maintenanceAt(env, Date.now() + env.feature.deps.linkLifetimeMs + DAY);
    expect(await later['export.expire_links']({} as JobContext)).toEqual({ expired: 1 });
    expect((await env.service.get(created.taskId, env.ann)).exportStatus).toBe('download_expired');
    await expect(env.service.downloadLink(created.taskId, env.ann)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await later['export.fail_stuck']({} as JobContext)).toEqual({ failed: 1 });
    expect(await env.service.get(stuck.taskId, env.ann)).toMatchObject({ exportStatus: 'failed', errorMsg: STUCK_TASK_REASON });
    const cleaned = (await later['export.clean_files']({} as JobContext)) as { cleaned: number };
    expect(cleaned.cleaned).toBeGreaterThanOrEqual(2);
    expect(await env.feature.deps.storage.stat(key)).toBeNull();
  });
});

function maintenanceAt(env: ExportEnv, at: number) {
  return exportMaintenanceHandlers({ ...env.feature.deps, clock: () => new Date(at) });
}

void ExportService;
