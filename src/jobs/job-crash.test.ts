import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/pg-database.ts';
import type { DatabaseTarget } from '../db/database-target.ts';
import { waitFor, waitForState } from './conformance/conformance-kit.ts';
import { createJobQueue } from './create-job-queue.ts';

const WORKER = fileURLToPath(new URL('./job-crash-worker.fixture.ts', import.meta.url));

function startWorker(target: DatabaseTarget, logFile: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(target), logFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => b.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
  return { child, ready };
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));

/**
 * A worker process is SIGKILLed in the middle of a job; a second worker process must pick the job
 * up once the lease expires and finish it, and the job's side effect must happen exactly once.
 */
function describeCrash(kind: string, makeTarget: () => Promise<{ target: DatabaseTarget; drop: () => Promise<void> }>): void {
  describe(`killed worker (${kind})`, () => {
    const children: ChildProcess[] = [];
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await Promise.all(children.map(exited));
      for (const c of cleanups) await c();
    });

    it('re-delivers the job to another process, which completes it exactly once', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'logsift-crash-'));
      const { target, drop } = await makeTarget();
      const producer = await createJobQueue(target, { leaseMs: 1000 });
      cleanups.push(async () => {
        await producer.stop({ graceful: false });
        await drop();
        rmSync(dir, { recursive: true, force: true });
      });
      const log = join(dir, 'side-effects.log');
      const id = (await producer.enqueue('default', 'crunch', { steps: 15 }, { retryLimit: 2 }))!;

      const first = startWorker(target, log);
      children.push(first.child);
      await first.ready;
      const midJob = await waitFor('progress from the first worker', async () => {
        const j = await producer.getJob(id);
        return j?.state === 'active' && ((j.progress as { step?: number } | null)?.step ?? 0) >= 3 ? j : undefined;
      });
      expect(midJob.attempt).toBe(1);
      expect((midJob.progress as { pid: number }).pid).toBe(first.child.pid);
      first.child.kill('SIGKILL');
      await exited(first.child);
      expect(existsSync(log)).toBe(false);

      const second = startWorker(target, log);
      children.push(second.child);
      await second.ready;
      const done = await waitForState(producer, id, ['completed', 'failed'], 20_000);
      expect(done.state).toBe('completed');
      expect(done.attempt).toBe(2);
      expect(done.output).toEqual({ pid: second.child.pid });
      expect(done.lastError).toMatch(/lease expired/);

      second.child.kill('SIGTERM');
      await exited(second.child);
      const lines = readFileSync(log, 'utf8').trim().split('\n');
      expect(lines).toEqual([`completed ${id} attempt=2 pid=${second.child.pid}`]);
    });
  });
}

describeCrash('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logsift-crash-db-'));
  return { target: { kind: 'sqlite', file: join(dir, 'jobs.db') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
});

describeCrash('postgres', async () => {
  const db = await createTestDatabase('crash');
  return { target: { kind: 'postgres', url: db.url, poolSize: 3 }, drop: () => db.drop() };
});
