import pg from 'pg';
import { afterAll } from 'vitest';
import { createTestDatabase } from '../../../test/support/pg-database.ts';
import { createKysely } from '../../db/create-kysely.ts';
import { createJobQueue } from '../create-job-queue.ts';
import { describeJobQueueConformance } from '../job-queue.conformance.ts';

// One database for the file, emptied after each case (creating one per case costs ~1 s each).
let shared: ReturnType<typeof createTestDatabase> | undefined;
afterAll(async () => (await shared)?.drop());

async function empty(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DO $$ BEGIN
      IF to_regclass('pgboss.job') IS NOT NULL THEN TRUNCATE pgboss.job, pgboss.archive; END IF;
      IF to_regclass('logsift_job_schedule') IS NOT NULL THEN TRUNCATE logsift_job_schedule; END IF;
    END $$`);
  } finally {
    await c.end();
  }
}

describeJobQueueConformance('pg-boss', async () => {
  shared ??= createTestDatabase('jobs');
  const db = await shared;
  const target = { kind: 'postgres', url: db.url, poolSize: 4 } as const;
  return {
    open: (options) => createJobQueue(target, options),
    kysely: () => createKysely(target),
    drop: () => empty(db.url),
  };
});
