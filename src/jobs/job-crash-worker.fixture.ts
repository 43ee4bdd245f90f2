/**
 * A `logsift worker`-like child process for `job-crash.test.ts`: runs the `default` queue with a
 * short lease. The handler advances steps of 100 ms, reporting each as progress, and appends one
 * `completed` line to the side-effect log at the end. The first attempt never ends by itself (so the
 * test's SIGKILL surely lands mid-job); later attempts take `payload.steps` steps. Usage:
 *   node --import tsx job-crash-worker.fixture.ts '<DatabaseTarget JSON>' <log file>
 */
import { appendFileSync } from 'node:fs';
import type { DatabaseTarget } from '../db/database-target.ts';
import { createJobQueue } from './create-job-queue.ts';

const [targetJson = '', logFile = ''] = process.argv.slice(2);
const target = JSON.parse(targetJson) as DatabaseTarget;
const queue = await createJobQueue(target, { leaseMs: 1000, heartbeatMs: 200, pollIntervalMs: 50, sweepIntervalMs: 200 });

queue.work('default', async (job) => {
  const { steps } = job.payload as { steps: number };
  const total = job.attempt === 1 ? Number.MAX_SAFE_INTEGER : steps;
  for (let step = 1; step <= total; step++) {
    await new Promise((r) => setTimeout(r, 100));
    job.signal.throwIfAborted();
    await job.heartbeat({ step, pid: process.pid });
  }
  appendFileSync(logFile, `completed ${job.id} attempt=${job.attempt} pid=${process.pid}\n`);
  return { pid: process.pid };
});

process.on('SIGTERM', () => {
  void queue.stop({ graceful: true, timeoutMs: 2000 }).then(() => process.exit(0));
});

await queue.start();
process.stdout.write('ready\n');
