import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKysely } from '../../db/create-kysely.ts';
import { createJobQueue } from '../create-job-queue.ts';
import { describeJobQueueConformance } from '../job-queue.conformance.ts';

describeJobQueueConformance('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logsift-jobs-'));
  const target = { kind: 'sqlite', file: join(dir, 'logsift.db') } as const;
  return {
    open: (options) => createJobQueue(target, options),
    kysely: () => createKysely(target),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
