/**
 * LogStore benchmark: `npm run bench:store -- --rows 1000000 [--stores sqlite,postgres] [--page 2000]`.
 * For each store prints ingest rows/s, keyset read rows/s (streaming everything), first search
 * page latency (time range + keyword) p50/p95, and — for SQLite — the p99 latency of an HTTP
 * health endpoint on the main thread while a full stream runs, showing reads are off-thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { startPostgres } from '../test/support/postgres-server.ts';
import type { IndexSet } from '../src/store/index-set.ts';
import type { NewLogRow } from '../src/store/log-row.ts';
import type { LogStore } from '../src/store/log-store.ts';
import { PostgresLogStore } from '../src/store/postgres/postgres-log-store.ts';
import { SqliteLogStore } from '../src/store/sqlite/sqlite-log-store.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    stores: { type: 'string', default: 'sqlite,postgres' },
    batch: { type: 'string', default: '10000' },
    searches: { type: 'string', default: '30' },
    page: { type: 'string', default: '2000' },
  },
});
const ROWS = Number(args.rows);
const BATCH = Number(args.batch);
const SEARCHES = Number(args.searches);
const PAGE = Number(args.page);

const SET: IndexSet = {
  id: 1, name: 'bench', bkBizId: 1, timeField: 'dtEventTimeStamp', messageField: 'log',
  fields: [{ name: 'level', type: 'keyword' }, { name: 'host', type: 'keyword' }, { name: 'status', type: 'long' }],
  sortFields: [], retentionDays: 30, desensitizeRules: [], createdAt: '', createdBy: 'bench',
};
const START = Date.UTC(2026, 9, 1);
const STEP_MS = 250; // 1M rows ≈ 3 days, 10M ≈ 29 days: several PostgreSQL partitions
const LEVELS = ['info', 'info', 'info', 'warn', 'error', 'debug'];
const WORDS = ['request', 'served', 'cache', 'miss', 'user', 'session', 'db', 'query', 'slow', 'retry'];

/** Row i, deterministic; ~1 in 50 messages holds the search keyword "timeout". */
function row(i: number): NewLogRow {
  const h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const w = (k: number): string => WORDS[(h >>> k) % WORDS.length] as string;
  const timeout = h % 50 === 0;
  return {
    ts: START + i * STEP_MS,
    message: `${w(0)} ${w(3)} ${w(7)} id=${i} took ${h % 997}ms${timeout ? ' upstream timeout' : ''} on /api/v1/${w(11)}/${h % 1000}`,
    fields: { level: LEVELS[h % LEVELS.length] as string, host: `web-${h % 16}`, status: [200, 200, 200, 404, 500][h % 5] as number },
  };
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => `${n.toFixed(1)} ms`;

/** Rows/s of the append calls alone (generating rows is not the store's cost), and wall-clock. */
async function ingest(store: LogStore): Promise<{ appendRate: number; wallRate: number }> {
  const t0 = performance.now();
  let inAppend = 0;
  for (let i = 0; i < ROWS; i += BATCH) {
    const batch: NewLogRow[] = [];
    for (let j = i; j < Math.min(ROWS, i + BATCH); j++) batch.push(row(j));
    const t = performance.now();
    await store.append(SET, batch);
    inAppend += performance.now() - t;
  }
  return { appendRate: ROWS / (inAppend / 1000), wallRate: ROWS / ((performance.now() - t0) / 1000) };
}

async function streamAll(store: LogStore): Promise<{ rowsPerSec: number; n: number }> {
  const t0 = performance.now();
  let n = 0;
  for await (const page of store.stream(SET, { startTime: START, endTime: START + ROWS * STEP_MS }, { pageSize: PAGE })) n += page.length;
  return { rowsPerSec: n / ((performance.now() - t0) / 1000), n };
}

/** First page (100 hits, newest first) for a keyword over a sliding half of the time span. */
async function firstPages(store: LogStore, trackTotalHits: boolean | number): Promise<number[]> {
  const span = ROWS * STEP_MS;
  const out: number[] = [];
  for (let i = 0; i < SEARCHES; i++) {
    const startTime = START + Math.floor(((i % 10) / 20) * span);
    const t0 = performance.now();
    const res = await store.search(SET, { startTime, endTime: startTime + span / 2, query: 'timeout', size: 100, trackTotalHits });
    out.push(performance.now() - t0);
    if (res.hits.length !== 100) throw new Error(`expected a full first page, got ${res.hits.length}`);
  }
  return out;
}

/** An HTTP health endpoint on this (main) thread, pinged from a worker thread every 5 ms. */
async function healthProbe(): Promise<{ stop: () => Promise<number[]> }> {
  const server: Server = createServer((_req, res) => res.end('{"status":"ok"}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const lat = []; let running = true;
    parentPort.on('message', () => { running = false; });
    (async () => {
      while (running) {
        const t0 = performance.now();
        await new Promise((res, rej) => http.get({ host: '127.0.0.1', port: workerData.port, path: '/health', agent }, (r) => { r.resume(); r.on('end', res); }).on('error', rej));
        lat.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 5));
      }
      agent.destroy();
      parentPort.postMessage(lat);
    })();
  `, { eval: true, workerData: { port }, execArgv: [] });
  return {
    stop: async () => {
      const lat = new Promise<number[]>((r) => worker.once('message', r));
      worker.postMessage('stop');
      const result = await lat;
      await worker.terminate();
      await new Promise((r) => server.close(r));
      return result;
    },
  };
}

async function bench(name: string, store: LogStore): Promise<void> {
  // Other work on the machine skews every number here: print the load next to them.
  console.log(`\n== ${name}: ${fmt(ROWS)} rows (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${availableParallelism()} cores) ==`);
  const ing = await ingest(store);
  console.log(`ingest               ${fmt(ing.appendRate)} rows/s in append() (${fmt(ing.wallRate)} rows/s wall, incl. generating rows; batches of ${fmt(BATCH)})`);
  const probe = name === 'sqlite' ? await healthProbe() : null;
  const read = await streamAll(store);
  console.log(`keyset read (stream) ${fmt(read.rowsPerSec)} rows/s (${fmt(read.n)} rows, pages of ${fmt(PAGE)})`);
  if (probe !== null) {
    const lat = await probe.stop();
    console.log(`health ping during the stream: p50 ${ms(pct(lat, 50))}, p99 ${ms(pct(lat, 99))}, max ${ms(Math.max(...lat))} (${lat.length} pings)`);
    // The same probe with nothing running: what the machine itself adds (scheduling, other load).
    const idle = await healthProbe();
    await new Promise((r) => setTimeout(r, 5_000));
    const base = await idle.stop();
    console.log(`health ping idle (baseline):   p50 ${ms(pct(base, 50))}, p99 ${ms(pct(base, 99))}, max ${ms(Math.max(...base))} (${base.length} pings)`);
  }
  const pages = await firstPages(store, false);
  console.log(`first page "timeout" over half the span, no total: p50 ${ms(pct(pages, 50))}, p95 ${ms(pct(pages, 95))}`);
  const counted = await firstPages(store, 10_000);
  console.log(`same with total counted up to 10,000:           p50 ${ms(pct(counted, 50))}, p95 ${ms(pct(counted, 95))}`);
}

const stores = args.stores.split(',');
if (stores.includes('sqlite')) {
  const dir = mkdtempSync(join(tmpdir(), 'logsift-bench-'));
  const store = await SqliteLogStore.open(join(dir, 'bench.sqlite'));
  try {
    await bench('sqlite', store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
if (stores.includes('postgres')) {
  const pg = await startPostgres();
  try {
    const store = await PostgresLogStore.open(pg.url);
    try {
      await bench('postgres', store);
    } finally {
      await store.close();
    }
  } finally {
    await pg.stop();
  }
}
