import { readdir, rm } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { JobHandler } from '../jobs/job-queue.ts';
import { AppError } from '../shared/app-error.ts';
import type { ExportDeps } from './export-deps.ts';
import { taskWorkDir } from './export-job.ts';
import { RUNNING_EXPORT_STATUSES, STUCK_TASK_REASON, type ExportStatus } from './export-status.ts';
import type { ExportTables } from './export-tables.ts';
import { ExportTaskRepository } from './export-task-repository.ts';

const DAY_MS = 86_400_000;

/**
 * Periodic export housekeeping (run on the `default` queue like the other maintenance jobs).
 * Hourly rather than bk-log's daily 03:xx, so a link expires within an hour of its lifetime.
 */
export const EXPORT_SCHEDULES = [
  { name: 'export.expire_links', cron: '5 * * * *' },
  { name: 'export.fail_stuck', cron: '25 * * * *' },
  { name: 'export.clean_files', cron: '45 * * * *' },
] as const;

export type ExportScheduleName = (typeof EXPORT_SCHEDULES)[number]['name'];

/** Statuses whose archive object and work files are no longer needed. */
const FINISHED: readonly ExportStatus[] = ['download_expired', 'failed', 'cancelled'];

/**
 * The handlers of {@link EXPORT_SCHEDULES}; each is idempotent (compare-and-set per row).
 * - `export.expire_links`: `success` older than `linkLifetimeMs` → `download_expired`.
 * - `export.fail_stuck`: queued/running tasks created more than 24 h ago → `failed` (bk-log's
 *   reason), their job cancelled.
 * - `export.clean_files`: for expired, failed and cancelled async tasks, deletes the stored
 *   object (bk-log never deleted COS/BKREPO objects: we do) and the local work folder, then sets
 *   `is_clean`; work folders of tasks that no longer exist are removed too.
 */
export function exportMaintenanceHandlers(deps: ExportDeps): Record<ExportScheduleName, JobHandler> {
  const clock = deps.clock ?? (() => new Date());
  const repo = new ExportTaskRepository(deps.db as unknown as Kysely<ExportTables>, clock);
  const casQuietly = async (run: () => Promise<void>): Promise<boolean> => {
    try {
      await run();
      return true;
    } catch (err) {
      if (err instanceof AppError && err.code === 'STATE_CONFLICT') return false;
      throw err;
    }
  };
  return {
    'export.expire_links': async () => {
      const before = new Date(clock().getTime() - deps.linkLifetimeMs).toISOString();
      let expired = 0;
      for (const task of await repo.listOlder(['success'], 'completed_at', before, 10_000)) {
        if (await casQuietly(() => repo.transition(task.id, 'success', 'download_expired'))) expired++;
      }
      return { expired };
    },
    'export.fail_stuck': async () => {
      const before = new Date(clock().getTime() - DAY_MS).toISOString();
      let failed = 0;
      for (const task of await repo.listOlder(RUNNING_EXPORT_STATUSES, 'created_at', before, 10_000)) {
        if (await casQuietly(() => repo.transition(task.id, task.status, 'failed', { failed_reason: STUCK_TASK_REASON }))) {
          failed++;
          if (task.jobId !== null) await deps.jobs.cancel(task.jobId);
        }
      }
      return { failed };
    },
    'export.clean_files': async () => {
      let cleaned = 0;
      for (const task of await repo.listUncleaned(FINISHED, 10_000)) {
        if (task.objectKey !== null) await deps.storage.delete(task.objectKey);
        await rm(taskWorkDir(deps.workDir, task.id), { recursive: true, force: true });
        await repo.markClean(task.id);
        cleaned++;
      }
      let orphans = 0;
      const names = await readdir(deps.workDir).catch(() => [] as string[]);
      for (const name of names) {
        const id = /^task-(\d+)$/.exec(name)?.[1];
        if (id === undefined) continue;
        const task = await repo.get(Number(id));
        if (task === undefined || FINISHED.includes(task.status) || task.status === 'success') {
          await rm(taskWorkDir(deps.workDir, Number(id)), { recursive: true, force: true });
          orphans++;
        }
      }
      return { cleaned, orphans };
    },
  };
}
