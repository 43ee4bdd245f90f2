import { UnrecoverableError, type JobHandler } from '../jobs/job-queue.ts';
import type { AppContext } from './app-context.ts';
import { MAINTENANCE_SCHEDULES, maintenanceHandlers } from './maintenance-jobs.ts';

/**
 * Registers every job handler of this build on its queue and the cron schedules, then starts
 * claiming. Used by `logsift worker` and by `serve` when workers run in-process.
 * Features add their handlers to the per-queue registries here.
 */
export async function startWorkers(ctx: AppContext): Promise<void> {
  const byName: Record<string, JobHandler> = { ...maintenanceHandlers(ctx) };
  ctx.jobs.work(
    'default',
    async (job) => {
      const handler = byName[job.name];
      if (handler === undefined) throw new UnrecoverableError(`No handler for job "${job.name}" on queue default`);
      return handler(job);
    },
    { concurrency: ctx.config.worker.concurrency },
  );
  await ctx.jobs.start();
  for (const s of MAINTENANCE_SCHEDULES) await ctx.jobs.schedule(s.name, s.cron, 'default');
}
