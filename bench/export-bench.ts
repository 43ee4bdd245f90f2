/**
 * Export pipeline benchmark: `npm run bench:export -- --rows 10000000 [--formats csv,log] [--page 2000]`.
 * Ingests N synthetic rows into a temp embedded (SQLite) store, then for each format runs one async
 * export through the real pipeline (service create → job handler → parts → tar.gz → local storage)
 * and prints rows/s from create to the finished archive, CPU time per row (all threads: steadier than
 * rows/s on a shared machine), the archive size, and peak RSS sampled
 * during the export (process incl. worker threads) plus the process's VmHWM. The rows are ingested
 * by a child process first, so the numbers are the export's alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../src/config/load-config.ts';
import { createExportFeature } from '../src/main/create-export-feature.ts';
import { runJobInline } from '../src/export/testing/export-test-kit.ts';
import type { ExportFormat } from '../src/export/formats/export-format.ts';
import { createAppContext } from '../src/main/app-context.ts';
import type { NewLogRow } from '../src/store/log-row.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    formats: { type: 'string', default: 'csv,log' },
    page: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '50000' },
    'ingest-into': { type: 'string' },
    start: { type: 'string' },
  },
});
const ROWS = Number(args.rows);
const BATCH = Number(args.batch);
// Recent enough to be inside the index set's retention (history would call older data expired).
const START = args.start === undefined ? Date.now() - 60 * 86_400_000 : Number(args.start);
const LEVELS = ['info', 'info', 'info', 'warn', 'error'];
const HOSTS = Array.from({ length: 50 }, (_, i) => `web-${String(i).padStart(2, '0')}.prod.example.com`);

const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;
const vmHwm = (): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
};

function batchOf(from: number, n: number): NewLogRow[] {
  const rows: NewLogRow[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const i = from + k;
    rows[k] = {
      ts: START + i * 100,
      message: `GET /api/v1/orders/${i % 100_000} status=${200 + (i % 7)} took ${(i * 37) % 1000} ms user=u${i % 5000}`,
      fields: { level: LEVELS[i % LEVELS.length]!, host: HOSTS[i % HOSTS.length]!, status: 200 + (i % 7), phone: `138${String(i % 1e8).padStart(8, '0')}` },
    };
  }
  return rows;
}

const admin = { userId: 0, username: 'bench', role: 'admin' as const, bizIds: [] };
const openContext = (dir: string) => createAppContext(loadConfig({ env: { LOGSIFT_DATA_DIR: dir }, secrets: 'memory' }), { logger: pino({ level: 'silent' }) });

/** Ingest runs in its own process, so the export's RSS below is the export's alone. */
async function ingestInto(dir: string): Promise<void> {
  const ctx = await openContext(dir);
  await ctx.accounts.createBusiness({ bkBizId: 1, name: 'bench' });
  const set = await ctx.indexSets.create(admin, {
    name: 'bench', bkBizId: 1, retentionDays: 365,
    fields: [{ name: 'level', type: 'keyword' }, { name: 'host', type: 'keyword' }, { name: 'status', type: 'long' }, { name: 'phone', type: 'keyword' }],
    desensitizeRules: [{ field: 'phone', pattern: '\\d{4}$' }],
  });
  const t0 = performance.now();
  for (let i = 0; i < ROWS; i += BATCH) await ctx.store.append(set, batchOf(i, Math.min(BATCH, ROWS - i)));
  const ingestS = (performance.now() - t0) / 1000;
  console.log(`ingested ${ROWS.toLocaleString('en-US')} rows in ${ingestS.toFixed(1)} s (${Math.round(ROWS / ingestS).toLocaleString('en-US')} rows/s)`);
  await ctx.close();
}

if (args['ingest-into'] !== undefined) {
  await ingestInto(args['ingest-into']);
  process.exit(0);
}

const dataDir = mkdtempSync(join(tmpdir(), 'logsift-export-bench-'));
try {
  // The child gets the heap settings, not tracing or profiling flags meant for the export.
  const childArgv = process.execArgv.filter((a) => !/^--(trace|cpu-prof|heap-prof|heapsnapshot)/.test(a));
  execFileSync(process.execPath, [...childArgv, fileURLToPath(import.meta.url), '--rows', String(ROWS), '--batch', String(BATCH), '--start', String(START), '--ingest-into', dataDir], { stdio: 'inherit' });
  const ctx = await openContext(dataDir);
  const feature = await createExportFeature(ctx, { limits: { pageSize: Number(args.page), maxRows: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER } });
  await ctx.jobs.start();
  const set = (await ctx.indexSets.list(admin))[0]!;
  console.log(`RSS after ingest, before exports: ${mb(process.memoryUsage().rss)}`);
  console.log('format  rows/s       seconds  CPU µs/row  archive      peak RSS (export)  VmHWM (process)  main JS heap     main external');

  for (const format of String(args.formats).split(',') as ExportFormat[]) {
    let peak = 0;
    let peakHeap = 0;
    let peakExternal = 0;
    const sample = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      peakHeap = Math.max(peakHeap, m.heapTotal);
      peakExternal = Math.max(peakExternal, m.external);
    }, 50);
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    // A normal (non-admin) user's export: masking rules apply, as for most users.
    const created = await feature.service.create(
      { indexSetIds: [set.id], search: { startTime: START, endTime: START + ROWS * 100 }, format },
      { ...admin, role: 'user', bizIds: [1], username: `bench-${format}` },
    );
    await runJobInline(feature.jobHandler, created.taskId);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(sample);
    peak = Math.max(peak, process.memoryUsage().rss);
    const view = await feature.service.get(created.taskId, admin);
    if (view.exportStatus !== 'success' || view.exportedCount !== ROWS) {
      throw new Error(`export ${format} ended ${view.exportStatus} with ${view.exportedCount} rows: ${view.errorMsg ?? ''}`);
    }
    console.log(
      `${format.padEnd(7)} ${Math.round(ROWS / seconds).toLocaleString('en-US').padEnd(12)} ${seconds.toFixed(1).padEnd(8)} ${((cpu.user + cpu.system) / ROWS).toFixed(2).padEnd(11)} ${mb(view.fileSizeBytes ?? 0).padEnd(12)} ${mb(peak).padEnd(18)} ${mb(vmHwm()).padEnd(16)} ${mb(peakHeap).padEnd(16)} ${mb(peakExternal)}`,
    );
  }
  await feature.close();
  await ctx.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
