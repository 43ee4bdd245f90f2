import type { DatabaseTarget, DialectKind } from '../db/database-target.ts';
import { BackedJobQueue, type JobQueueOptions } from './backed-job-queue.ts';
import type { JobQueue } from './job-queue.ts';
import { SqliteJobBackend } from './sqlite/sqlite-job-backend.ts';

export type { JobQueueOptions } from './backed-job-queue.ts';

type Factory<K extends DialectKind> = (target: Extract<DatabaseTarget, { kind: K }>, options: JobQueueOptions) => Promise<BackedJobQueue>;

/**
 * One implementation per dialect: the embedded store on SQLite, pg-boss on PostgreSQL (loaded
 * only when used, so the embedded default does not load pg-boss).
 */
export const JOB_QUEUE_FACTORIES: { [K in DialectKind]: Factory<K> } = {
  sqlite: async (t, options) => new BackedJobQueue(new SqliteJobBackend(t.file), options),
  postgres: async (t, options) => {
    const { PgBossJobBackend } = await import('./pg-boss/pg-boss-job-backend.ts');
    return new BackedJobQueue(new PgBossJobBackend(t.url, { poolSize: t.poolSize }), options);
  },
};

/**
 * Builds the job queue for a database target, its tables migrated. Call `start()` on it (runs workers
 * registered with `work()`, the lease sweeper and cron) and `stop()` at shutdown.
 */
export async function createJobQueue(target: DatabaseTarget, options: JobQueueOptions = {}): Promise<JobQueue> {
  const make = JOB_QUEUE_FACTORIES[target.kind] as (t: DatabaseTarget, o: JobQueueOptions) => Promise<BackedJobQueue>;
  const queue = await make(target, options);
  try {
    await queue.migrate();
  } catch (err) {
    await queue.stop({ graceful: false });
    throw err;
  }
  return queue;
}
