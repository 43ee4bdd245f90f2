import { EXPORT_JOB_NAME } from '../export/export-job-name.ts';
import { EXPORT_SCHEDULES } from '../export/export-maintenance.ts';
import { UnrecoverableError, type JobHandler, type QueueName } from '../jobs/job-queue.ts';
import type { AppContext } from './app-context.ts';
import type { ExportFeature } from './create-export-feature.ts';
import { MAINTENANCE_SCHEDULES, maintenanceHandlers } from './maintenance-jobs.ts';

/** Dispatches on `job.name`; an unknown name fails at once instead of being retried. */
function dispatcher(queue: QueueName, byName: Record<string, JobHandler>): JobHandler {
  return async (job) => {
    const handler = byName[job.name];
    if (handler === undefined) throw new UnrecoverableError(`No handler for job "${job.name}" on queue ${queue}`);
    return handler(job);
  };
}

/**
 * Registers every job handler of this build on its queue and the cron schedules, then starts
 * claiming. Used by `logsift worker` and by `serve` when workers run in-process.
 */
export async function startWorkers(ctx: AppContext, exports: ExportFeature): Promise<void> {
  const handlers: Record<QueueName, Record<string, JobHandler>> = {
    default: { ...maintenanceHandlers(ctx), ...exports.maintenance },
    async_export: { [EXPORT_JOB_NAME]: exports.jobHandler },
    high_priority: {},
  };
  for (const [queue, byName] of Object.entries(handlers) as Array<[QueueName, Record<string, JobHandler>]>) {
    if (Object.keys(byName).length > 0) ctx.jobs.work(queue, dispatcher(queue, byName), { concurrency: ctx.config.worker.concurrency });
  }
  await ctx.jobs.start();
  for (const s of [...MAINTENANCE_SCHEDULES, ...EXPORT_SCHEDULES]) await ctx.jobs.schedule(s.name, s.cron, 'default');
}
