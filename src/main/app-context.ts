import type { Kysely } from 'kysely';
import pino, { type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { AccountsService } from '../accounts/accounts-service.ts';
import { createMetadataServices } from '../catalog/create-metadata-services.ts';
import type { IndexSetService } from '../catalog/index-set-service.ts';
import { databaseTargetFromConfig } from '../config/database-target-from-config.ts';
import type { Config } from '../config/config-schema.ts';
import { createKysely } from '../db/create-kysely.ts';
import type { DatabaseTarget } from '../db/database-target.ts';
import { createJobQueue } from '../jobs/create-job-queue.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { LogsService } from '../search/logs-service.ts';
import { createLogStore } from '../store/create-log-store.ts';
import type { LogStore } from '../store/log-store.ts';

/** Everything a process of logsift needs, wired once from the configuration. */
export interface AppContext {
  config: Config;
  target: DatabaseTarget;
  logger: Logger;
  metrics: Registry;
  db: Kysely<unknown>;
  store: LogStore;
  jobs: JobQueue;
  accounts: AccountsService;
  indexSets: IndexSetService;
  logs: LogsService;
  /** Stops the job queue (gracefully) and closes every connection, in reverse order of opening. */
  close(): Promise<void>;
}

export interface CreateContextOptions {
  logger?: Logger;
}

/**
 * The composition root: the only place that picks concrete backends. The database target
 * (SQLite file or PostgreSQL URL) decides the log store and the job queue through their
 * registries; metadata uses Kysely on the same database. Migrations run here, at start.
 */
export async function createAppContext(config: Config, options: CreateContextOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const target = databaseTargetFromConfig(config);
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });

  const db = createKysely<unknown>(target);
  const metadata = createMetadataServices(db, target.kind);
  await metadata.migrate();
  const store = await createLogStore(target);
  const jobs = await createJobQueue(target, {
    leaseMs: config.jobs.leaseMs,
    heartbeatMs: config.jobs.heartbeatMs,
    pollIntervalMs: config.jobs.pollIntervalMs,
  });

  return {
    config,
    target,
    logger,
    metrics,
    db,
    store,
    jobs,
    accounts: metadata.accounts,
    indexSets: metadata.indexSets,
    logs: new LogsService(metadata.indexSets, store),
    async close() {
      await jobs.stop({ graceful: true, timeoutMs: config.jobs.shutdownGraceMs });
      await store.close();
      await db.destroy();
    },
  };
}
