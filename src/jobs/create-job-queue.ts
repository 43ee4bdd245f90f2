import type { DatabaseTarget, DialectKind } from '../db/database-target.ts';
import { BackedJobQueue, type JobQueueOptions } from './backed-job-queue.ts';
import type { JobQueue } from './job-queue.ts';
import { PgBossJobBackend } from './pg-boss/pg-boss-job-backend.ts';

import { SqliteJobBackend } from './sqlite/sqlite-job-backend.ts';

export type { JobQueueOptions } from './backed-job-queue.ts';

type Factory<K extends DialectKind> = (target: Extract<DatabaseTarget, { kind: K }>, options: JobQueueOptions) => BackedJobQueue;

/** One implementation per dialect: the embedded store on SQLite, pg-boss on PostgreSQL. */
export const JOB_QUEUE_FACTORIES: { [K in DialectKind]: Factory<K> } = {
  sqlite: (t, options) => new BackedJobQueue(new SqliteJobBackend(t.file), options),
  postgres: (t, options) => new BackedJobQueue(new PgBossJobBackend(t.url, { poolSize: t.poolSize }), options),
};

/**
 * Builds the job queue for a database target, its tables migrated. Call `start()` on it (runs workers
 * registered with `work()`, the lease sweeper and cron) and `stop()` at shutdown.
 */
export async function createJobQueue(target: DatabaseTarget, options: JobQueueOptions = {}): Promise<JobQueue> {
  const make = JOB_QUEUE_FACTORIES[target.kind] as (t: DatabaseTarget, o: JobQueueOptions) => BackedJobQueue;
  const queue = make(target, options);
  try {
    await queue.migrate();
  } catch (err) {
    await queue.stop({ graceful: false });
    throw err;
  }
  return queue;
}
