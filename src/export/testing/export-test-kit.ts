/**
 * Shared setup of the export integration tests (test/export-*.test.ts): a real app context on
 * SQLite or PostgreSQL, users, an index set with a masking rule, ingested rows, and independent
 * readers for what comes out (system `tar`, Python's csv module).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Principal } from '../../accounts/principal.ts';
import type { AppContext } from '../../main/app-context.ts';
import type { IndexSet } from '../../store/index-set.ts';
import type { LogStore } from '../../store/log-store.ts';
import type { JobHandler } from '../../jobs/job-queue.ts';
import type { ExportDeps } from '../export-deps.ts';
import type { ExportService } from '../export-service.ts';
import type { ExportTaskView } from '../export-types.ts';
import { createExportFeature, type ExportFeature } from '../../main/create-export-feature.ts';

export const BASE_TS = Date.UTC(2026, 10, 20, 8, 0, 0);

/** One ingested row as the test knows it (ids from append's first id, consecutive). */
export interface KnownRow {
  id: string;
  ts: number;
  message: string;
  fields: { level: string; phone: string; n: number };
}

export interface ExportEnv {
  ctx: AppContext;
  feature: ExportFeature;
  service: ExportService;
  admin: Principal;
  ann: Principal;
  bob: Principal;
  /** bob is a member of biz 1 too, carol of biz 2 only. */
  carol: Principal;
  indexSet: IndexSet;
  other: IndexSet;
  rows: KnownRow[];
  otherRows: KnownRow[];
  cleanup(): Promise<void>;
}

const MESSAGES = ['plain', 'with, comma', 'with "quote"', 'multi\nline', '=1+1', 'ünïcødé 日志', '@cmd', '-2'];

export function makeRows(count: number, offset = 0): Array<Omit<KnownRow, 'id'>> {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    // Three rows share each timestamp, so the id tiebreaker decides their order.
    return {
      ts: BASE_TS + Math.floor(i / 3) * 1000,
      message: `${MESSAGES[i % MESSAGES.length]} #${i}`,
      fields: { level: i % 4 === 0 ? 'error' : 'info', phone: `1380000${String(i % 10_000).padStart(4, '0')}`, n: i },
    };
  });
}

/** Appends rows in batches and returns them with their ids. */
export async function ingest(ctx: AppContext, set: IndexSet, rows: Array<Omit<KnownRow, 'id'>>): Promise<KnownRow[]> {
  const out: KnownRow[] = [];
  for (let i = 0; i < rows.length; i += 20_000) {
    const batch = rows.slice(i, i + 20_000);
    const ids = await ctx.store.append(set, batch);
    let id = BigInt(ids!.firstId);
    for (const r of batch) out.push({ ...r, id: String(id++) });
  }
  return out;
}

/** The export's order: time descending, id descending as the tiebreaker. */
export function sortDesc(rows: KnownRow[]): KnownRow[] {
  // Test ids stay far below 2^53, so Number compares them exactly.
  return [...rows].sort((a, b) => b.ts - a.ts || Number(b.id) - Number(a.id));
}

export const principalOf = (user: { id: number; username: string; role: 'user' | 'admin' }, bizIds: number[]): Principal => ({
  userId: user.id, username: user.username, role: user.role, bizIds,
});

export async function setupExportEnv(
  makeContext: () => Promise<{ ctx: AppContext; cleanup: () => Promise<void> }>,
  options: { rows?: number; overrides?: Partial<ExportDeps>; worker?: boolean } = {},
): Promise<ExportEnv> {
  const { ctx, cleanup } = await makeContext();
  const feature = await createExportFeature(ctx, { mailAddress: (u) => `${u}@example.com`, ...options.overrides });
  const { accounts } = ctx;
  const root = await accounts.createUser({ username: 'root', role: 'admin' });
  await accounts.createBusiness({ bkBizId: 1, name: 'biz1' });
  await accounts.createBusiness({ bkBizId: 2, name: 'biz2' });
  const users: Record<string, Principal> = {};
  for (const [name, bizIds] of [['ann', [1]], ['bob', [1]], ['carol', [2]]] as const) {
    const u = await accounts.createUser({ username: name });
    for (const b of bizIds) await accounts.addMembership(u.id, b);
    users[name] = principalOf({ id: u.id, username: name, role: 'user' }, [...bizIds]);
  }
  const admin = principalOf({ id: root.id, username: 'root', role: 'admin' }, []);
  const fields = [{ name: 'level', type: 'keyword' }, { name: 'phone', type: 'keyword' }, { name: 'n', type: 'long' }] as const;
  const indexSet = await ctx.indexSets.create(users.ann!, {
    name: 'payments', bkBizId: 1, fields, retentionDays: 30, desensitizeRules: [{ field: 'phone', pattern: '\\d{4}$' }],
  });
  const other = await ctx.indexSets.create(users.ann!, { name: 'gateway', bkBizId: 1, fields, retentionDays: 30 });
  const rows = await ingest(ctx, indexSet, makeRows(options.rows ?? 0));
  const otherRows = await ingest(ctx, other, makeRows(Math.min(500, options.rows ?? 0), 7));
  if (options.worker !== false) {
    ctx.jobs.work('async_export', feature.jobHandler, { concurrency: 2 });
  }
  await ctx.jobs.start();
  return {
    ctx, feature, service: feature.service, admin, ann: users.ann!, bob: users.bob!, carol: users.carol!, indexSet, other, rows, otherRows,
    async cleanup() {
      await feature.close();
      await cleanup();
    },
  };
}

/** Polls until the task reaches one of `statuses` (default: any terminal one). */
export async function waitForTask(
  service: ExportService, taskId: number, principal: Principal,
  statuses: readonly string[] = ['success', 'failed', 'cancelled', 'download_expired'], timeoutMs = 30_000,
): Promise<ExportTaskView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await service.get(taskId, principal);
    if (statuses.includes(view.exportStatus)) return view;
    if (Date.now() > deadline) throw new Error(`task ${taskId} still ${view.exportStatus} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function readAll(stream: Readable | AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

/** Opens a .tar.gz with the system tar: entry names in archive order and their bytes. */
export function openArchive(bytes: Buffer): { names: string[]; files: Map<string, Buffer> } {
  const dir = mkdtempSync(join(tmpdir(), 'export-archive-'));
  try {
    const file = join(dir, 'a.tar.gz');
    writeFileSync(file, bytes);
    const names = execFileSync('tar', ['-tzf', file]).toString().trim().split('\n').filter((n) => n !== '');
    const out = join(dir, 'x');
    execFileSync('mkdir', [out]);
    execFileSync('tar', ['-xzf', file, '-C', out]);
    const files = new Map<string, Buffer>();
    for (const n of readdirSync(out)) files.set(n, readFileSync(join(out, n)));
    return { names, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RFC 4180 parse by Python's csv module (an independent reader). */
export function parseCsv(bytes: Buffer): string[][] {
  const py = "import csv,io,json,sys\nprint(json.dumps(list(csv.reader(io.StringIO(sys.stdin.buffer.read().decode('utf-8'), newline='')))))";
  const res = spawnSync('python3', ['-c', py], { input: bytes, maxBuffer: 1 << 30 });
  if (res.status !== 0) throw new Error(res.stderr.toString());
  return JSON.parse(res.stdout.toString()) as string[][];
}

export function parseNdjson(bytes: Buffer): Array<Record<string, unknown>> {
  return bytes.toString('utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The masked phone as the rule `\d{4}$` → `****` makes it. */
export const maskPhone = (phone: string): string => `${phone.slice(0, -4)}****`;

/** A store whose stream waits `delayMs` before each page (to catch an export mid-way). */
export function slowStore(store: LogStore, delayMs: number): LogStore {
  return {
    kind: store.kind,
    append: (s, r) => store.append(s, r),
    search: (s, r) => store.search(s, r),
    count: (s, r) => store.count(s, r),
    async *stream(s, r, o) {
      for await (const page of store.stream(s, r, o)) {
        await new Promise((done) => setTimeout(done, delayMs));
        yield page;
      }
    },
    maxId: () => store.maxId(),
    deleteRows: (id, t) => store.deleteRows(id, t),
    close: () => store.close(),
  };
}

/** Runs the export job handler in-line for one task, as one delivery of its job. */
export function runJobInline(handler: JobHandler, taskId: number, signal = new AbortController().signal): Promise<unknown> {
  return handler({
    id: `inline-${taskId}`, queue: 'async_export', name: 'export.run', payload: { taskId, maxAttempts: 1 }, attempt: 1,
    signal, heartbeat: async () => {},
  });
}
