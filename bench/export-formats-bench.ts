/**
 * Micro-benchmark of the export writers: rows/s per format on synthetic rows.
 *   npm run bench:export-formats -- [--rows 1000000] [--zone Asia/Shanghai]
 * Prints, per format: encoding alone (rows → 64 KB Buffers, discarded) and encoding + part
 * splitting + gzip parts (level 4, in a temp folder) + tar.gz into a discarding stream.
 */
import { Writable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogRow } from '../src/store/log-row.ts';
import type { IndexSet } from '../src/store/index-set.ts';
import { encodeRows } from '../src/export/formats/encode-stream.ts';
import { resolveExportColumns } from '../src/export/formats/export-columns.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../src/export/formats/export-format.ts';
import { createRowEncoder } from '../src/export/formats/format-registry.ts';
import { gzipPartEntry, gzipPartPath, openGzipEntryPart } from '../src/export/packaging/gzip-entry-part.ts';
import { PartSplitter } from '../src/export/packaging/part-splitter.ts';
import { writeTarGz } from '../src/export/packaging/write-tar-gz.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const TOTAL = Number(arg('rows', '1000000'));
const ZONE = arg('zone', 'Asia/Shanghai');
const BATCH = 10_000;

const indexSet: IndexSet = {
  id: 1,
  name: 'bench',
  bkBizId: 1,
  timeField: 'dtEventTimeStamp',
  messageField: 'log',
  fields: [
    { name: 'serverIp', type: 'keyword' },
    { name: 'path', type: 'keyword' },
    { name: 'level', type: 'keyword' },
    { name: 'gseIndex', type: 'long' },
    { name: 'latencyMs', type: 'double' },
  ],
  sortFields: ['dtEventTimeStamp'],
  retentionDays: 7,
  desensitizeRules: [],
  createdAt: '',
  createdBy: '',
};

const LEVELS = ['INFO', 'WARN', 'ERROR', 'DEBUG'];
// 100k distinct rows reused: generating rows is the store's cost, not the writer's.
const POOL: LogRow[] = Array.from({ length: Math.min(TOTAL, 100_000) }, (_, i) => ({
  id: String(i + 1),
  indexSetId: 1,
  ts: 1_767_225_600_000 + i * 37,
  ingestedAt: 1_767_225_600_000 + i * 37 + 5,
  message:
    i % 10 === 0
      ? `ERROR user=${i} failed, reason="timeout" path=/api/v1/orders/${i}\n  at handler (app.js:12)`
      : `GET /api/v1/items/${i % 977} 200 ${i % 300}ms user=${i % 5000} ua=Mozilla/5.0 订单`,
  fields: { serverIp: `10.0.${i % 256}.${i % 100}`, path: `/api/v1/items/${i % 977}`, level: LEVELS[i % 4]!, gseIndex: i, latencyMs: (i % 3000) / 10 },
}));

function* batches(): Generator<LogRow[]> {
  for (let done = 0; done < TOTAL; done += BATCH) {
    const start = done % POOL.length;
    yield POOL.slice(start, start + Math.min(BATCH, TOTAL - done));
  }
}

const discard = (): Writable =>
  new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });

interface Timing {
  seconds: number;
  /** Main-thread + zlib-thread CPU seconds: steadier than wall time on a shared machine. */
  cpuSeconds: number;
}

function timer(): () => Timing {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: (c.user + c.system) / 1e6 };
  };
}

async function encodeOnly(format: ExportFormat): Promise<Timing & { bytes: number }> {
  const encoder = createRowEncoder(format, { columns: resolveExportColumns(indexSet), timeZone: ZONE });
  const done = timer();
  let bytes = 0;
  for await (const chunk of encodeRows(encoder, batches())) bytes += chunk.length;
  return { ...done(), bytes };
}

async function toArchive(format: ExportFormat): Promise<Timing & { bytes: number; parts: number }> {
  const encoder = createRowEncoder(format, { columns: resolveExportColumns(indexSet), timeZone: ZONE });
  const done = timer();
  const dir = await mkdtemp(join(tmpdir(), 'logsift-bench-'));
  try {
    const openPart = (n: string) => openGzipEntryPart(gzipPartPath(dir, n), n);
    const splitter = new PartSplitter({ baseName: 'bench', encoder, openPart, maxRowsPerPart: 500_000 });
    for (const batch of batches()) await splitter.write(batch);
    const parts = await splitter.finish();
    const bytes = await writeTarGz(discard(), parts.map((p) => gzipPartEntry(dir, p)));
    return { ...done(), bytes, parts: parts.length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const rate = (t: Timing): string => `${fmt(TOTAL / t.seconds).padStart(9)} rows/s (${fmt(TOTAL / t.cpuSeconds)}/cpu-s)`;
console.log(`export writers: ${fmt(TOTAL)} rows, zone ${ZONE}, node ${process.version}`);
await encodeOnly('log'); // warm-up: JIT and time-zone caches
for (const format of EXPORT_FORMATS) {
  const enc = await encodeOnly(format);
  const arc = await toArchive(format);
  console.log(
    `${format.padEnd(4)}  encode ${rate(enc)} ${(enc.bytes / 1048576).toFixed(0)} MiB` +
      ` | encode+split+tar.gz ${rate(arc)} ${(arc.bytes / 1048576).toFixed(0)} MiB gz, ${arc.parts} parts` +
      ` | rss ${fmt(process.memoryUsage().rss / 1048576)} MiB`,
  );
}
