import { systemPrincipal } from '../accounts/principal.ts';
import type { JobHandler } from '../jobs/job-queue.ts';
import type { AppContext } from './app-context.ts';

const DAY_MS = 86_400_000;

/**
 * Housekeeping that runs on the `default` queue: retention (rows older than an index set's
 * retention_days) and purging soft-deleted index sets whose rows a crash left behind.
 * Both are idempotent, so re-delivery after a crash is harmless.
 */
export const MAINTENANCE_SCHEDULES = [
  { name: 'logs.retention', cron: '17 * * * *' },
  { name: 'index_sets.purge_deleted', cron: '47 * * * *' },
] as const;

type MaintenanceJob = (typeof MAINTENANCE_SCHEDULES)[number]['name'];

export function maintenanceHandlers(ctx: AppContext): Record<MaintenanceJob, JobHandler> {
  return {
    'logs.retention': async () => {
      let deleted = 0;
      for (const indexSet of await ctx.indexSets.list(systemPrincipal())) {
        deleted += await ctx.store.deleteRows(indexSet.id, Date.now() - indexSet.retentionDays * DAY_MS);
      }
      return { deleted };
    },
    'index_sets.purge_deleted': async () => {
      let purged = 0;
      for (const indexSet of await ctx.indexSets.listDeleted()) {
        await ctx.store.deleteRows(indexSet.id);
        if (await ctx.indexSets.purge(indexSet.id)) purged += 1;
      }
      return { purged };
    },
  };
}
