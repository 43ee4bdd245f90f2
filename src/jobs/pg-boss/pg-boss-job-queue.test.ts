import { createKysely } from '../../db/create-kysely.ts';
import { createTestDatabase } from '../../../test/support/pg-database.ts';
import { createJobQueue } from '../create-job-queue.ts';
import { describeJobQueueConformance } from '../job-queue.conformance.ts';

describeJobQueueConformance('pg-boss', async () => {
  const db = await createTestDatabase('jobs');
  const target = { kind: 'postgres', url: db.url, poolSize: 4 } as const;
  return {
    open: (options) => createJobQueue(target, options),
    kysely: () => createKysely(target),
    drop: () => db.drop(),
  };
});
