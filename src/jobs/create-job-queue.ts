import type { DatabaseTarget, DialectKind } from '../db/database-target.ts';
import { BackedJobQueue, type JobQueueOptions } from './backed-job-queue.ts';
import type { JobQueue } from './job-queue.ts';
import { PgBossJobBackend } from './pg-boss/pg-boss-job-backend.ts';

import { SqliteJobBackend } from './sqlite/sqlite-job-backend.ts';

export type { JobQueueOptions } from './backed-job-queue.ts';

type Factory<K extends DialectKind> = (target: Extract<DatabaseTarget, { kind: K }>, options: JobQueueOptions) => Promise<JobQueue>;

/** One implementation per dialect: the embedded store on SQLite, pg-boss on PostgreSQL. */
export const JOB_QUEUE_FACTORIES: { [K in DialectKind]: Factory<K> } = {
  sqlite: async (t, options) => new BackedJobQueue(new SqliteJobBackend(t.file), options),
  postgres: async (t, options) => new BackedJobQueue(new PgBossJobBackend(t.url, { poolSize: t.poolSize }), options),
};

/**
 * Builds the job queue for a database target. Call `start()` on it (migrates, then runs workers
 * registered with `work()`, the lease sweeper and cron) and `stop()` at shutdown.
 */
export async function createJobQueue(target: DatabaseTarget, options: JobQueueOptions = {}): Promise<JobQueue> {
  const make = JOB_QUEUE_FACTORIES[target.kind] as (t: DatabaseTarget, o: JobQueueOptions) => Promise<JobQueue>;
  return make(target, options);
}
