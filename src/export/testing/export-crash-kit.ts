/**
 * A worker PROCESS is SIGKILLed in the middle of a 200k-row export (parts of 20k rows, so several
 * checkpoints are written before the kill); a second worker process resumes the task from its
 * checkpoint. The archive must hold exactly the query's rows: none lost, none repeated.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { createAppContext } from '../../main/app-context.ts';
import type { ExportManifest } from '../packaging/export-manifest.ts';
import {
  BASE_TS, openArchive, parseNdjson, readAll, setupExportEnv, sortDesc, waitForTask,
} from './export-test-kit.ts';
import { createTestDatabase } from '../../../test/support/pg-database.ts';

const WORKER = fileURLToPath(new URL('../../export/export-crash-worker.fixture.ts', import.meta.url));
const ROWS = 200_000;

function startWorker(env: Record<string, string>, mode: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(env), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => b.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
  return { child, ready };
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));

export function describeCrash(kind: 'sqlite' | 'postgres'): void {
  describe(`export worker killed mid-export (${kind})`, () => {
    const children: ChildProcess[] = [];
    const cleanups: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await Promise.all(children.map(exited));
      for (const c of cleanups.reverse()) await c();
    });

    it('a second worker process resumes from the checkpoint; every row exactly once', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'logsift-export-crash-'));
      const pg = kind === 'postgres' ? await createTestDatabase('excrash') : undefined;
      const env: Record<string, string> = {
        LOGSIFT_DATA_DIR: dataDir,
        LOGSIFT_JOBS_LEASE_MS: '1000',
        LOGSIFT_JOBS_HEARTBEAT_MS: '200',
        LOGSIFT_JOBS_POLL_INTERVAL_MS: '50',
        LOGSIFT_EXPORT_DOWNLOAD_SECRET: 's'.repeat(40),
        ...(pg ? { LOGSIFT_DATABASE_URL: pg.url } : {}),
      };
      const ex = await setupExportEnv(async () => {
        const ctx = await createAppContext(loadConfig({ env, secrets: 'memory' }), { logger: pino({ level: 'silent' }) });
        return { ctx, cleanup: async () => ctx.close() };
      }, { rows: ROWS, worker: false });
      cleanups.push(async () => {
        await ex.cleanup();
        await pg?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      });

      const created = await ex.service.create({ indexSetIds: [ex.indexSet.id], search: { startTime: BASE_TS, endTime: BASE_TS + 10 ** 9 }, fields: ['n'] }, ex.ann);
      const first = startWorker(env, 'slow');
      children.push(first.child);
      await first.ready;
      const mid = await waitForTask(ex.service, created.taskId, ex.ann, ['download_log'], 30_000).then(async () => {
        for (;;) {
          const view = await ex.service.get(created.taskId, ex.ann);
          if (view.exportedCount >= 60_000) return view;
          if (view.exportStatus !== 'download_log') throw new Error(`unexpected ${view.exportStatus}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      });
      first.child.kill('SIGKILL');
      await exited(first.child);
      expect(mid.exportedCount).toBeLessThan(ROWS);

      const second = startWorker(env, 'fast');
      children.push(second.child);
      await second.ready;
      const done = await waitForTask(ex.service, created.taskId, ex.ann, ['success', 'failed'], 45_000);
      expect(done.exportStatus).toBe('success');
      expect(done.exportedCount).toBe(ROWS);
      const jobs = await ex.ctx.jobs.listJobs({ queue: 'async_export' });
      expect(jobs.find((j) => (j.payload as { taskId: number }).taskId === created.taskId)?.attempt).toBe(2);

      const link = await ex.service.downloadLink(created.taskId, ex.ann);
      const file = await ex.service.openSignedDownload(new URL(link.url).searchParams.get('token')!);
      const { names, files } = openArchive(await readAll(file.stream));
      const parts = names.filter((n) => n.endsWith('.log'));
      expect(parts.length).toBe(ROWS / 20_000);
      const got = parts.flatMap((n) => parseNdjson(files.get(n)!)).map((r) => r.n);
      expect(got.length).toBe(ROWS);
      expect(got).toEqual(sortDesc(ex.rows).map((r) => r.fields.n));
      const manifest = JSON.parse(files.get('manifest.json')!.toString()) as ExportManifest;
      expect(manifest.rows).toEqual({ exported: ROWS, matching: ROWS });
      second.child.kill('SIGTERM');
      await exited(second.child);
    }, 90_000);
  });
}

