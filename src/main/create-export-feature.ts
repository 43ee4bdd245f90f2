import { join } from 'node:path';
import type { JobHandler } from '../jobs/job-queue.ts';
import type { AppContext } from './app-context.ts';
import { storageConfigFromConfig } from '../config/storage-config-from-config.ts';
import { createNotifier, notifierConfigFromSmtp } from '../notify/create-notifier.ts';
import { createObjectStorage } from '../storage/create-object-storage.ts';
import type { ExportDeps } from '../export/export-deps.ts';
import { createExportJobHandler } from '../export/export-job.ts';
import { exportMaintenanceHandlers, type ExportScheduleName } from '../export/export-maintenance.ts';
import { ExportService } from '../export/export-service.ts';

/** The wired export feature of one process. */
export interface ExportFeature {
  service: ExportService;
  /** Register as the handler of queue `async_export` (dispatch on `EXPORT_JOB_NAME`). */
  jobHandler: JobHandler;
  /** Add to the `default` queue's handlers; schedule them with `EXPORT_SCHEDULES`. */
  maintenance: Record<ExportScheduleName, JobHandler>;
  deps: ExportDeps;
  /** Closes the storage and notifier connections (not the context's). */
  close(): Promise<void>;
}

/**
 * Builds the export feature from an app context: storage from `export.storage`, mail from
 * `export.smtp` (the log notifier when no SMTP URL is set), work files under
 * `<dataDir>/export-work`. Runs the `export` migrations. `overrides` are for tests and tools.
 */
export async function createExportFeature(ctx: AppContext, overrides: Partial<ExportDeps> = {}): Promise<ExportFeature> {
  const { config } = ctx;
  const deps: ExportDeps = {
    db: ctx.db,
    dialect: ctx.target.kind,
    store: ctx.store,
    jobs: ctx.jobs,
    indexSets: ctx.indexSets,
    storage: overrides.storage ?? (await createObjectStorage(storageConfigFromConfig(config))),
    notifier: overrides.notifier ?? (await createNotifier(notifierConfigFromSmtp(config.export.smtp, { logger: ctx.logger }))),
    logger: ctx.logger,
    workDir: join(config.dataDir, 'export-work'),
    publicUrl: config.publicUrl,
    downloadSecret: config.export.downloadSecret,
    linkLifetimeMs: config.export.linkLifetimeMs,
    perUserRunningLimit: config.export.perUserRunningLimit,
    ...overrides,
    limits: { gzipLevel: config.export.gzipLevel, ...overrides.limits },
  };
  const service = new ExportService(deps);
  await service.migrate();
  return {
    service,
    jobHandler: createExportJobHandler(deps),
    maintenance: exportMaintenanceHandlers(deps),
    deps,
    async close() {
      await deps.storage.close();
      await deps.notifier.close();
    },
  };
}
