import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarGz } from '../testing/read-tar-gz.ts';
import type { IndexSet } from '../../store/index-set.ts';
import type { LogRow } from '../../store/log-row.ts';
import { resolveExportColumns } from '../formats/export-columns.ts';
import { createRowEncoder } from '../formats/format-registry.ts';
import { buildManifest, manifestBytes, MANIFEST_FILE_NAME, rowCapWarning, type ExportManifest } from './export-manifest.ts';
import { gzipPartEntry, gzipPartPath, openGzipEntryPart } from './gzip-entry-part.ts';
import { PartSplitter, type PartSplitterOptions } from './part-splitter.ts';
import { writeTarGz } from './write-tar-gz.ts';

const indexSet: IndexSet = {
  id: 9,
  name: 'orders',
  bkBizId: 1,
  timeField: 'dtEventTimeStamp',
  messageField: 'log',
  fields: [{ name: 'host', type: 'keyword' }, { name: 'n', type: 'long' }],
  sortFields: [],
  retentionDays: 1,
  desensitizeRules: [],
  createdAt: '',
  createdBy: '',
};
const T0 = Date.UTC(2026, 5, 1);
const mkRows = (count: number, from = 0): LogRow[] =>
  Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      id: String(i + 1),
      indexSetId: 9,
      ts: T0 + i * 1000,
      ingestedAt: 0,
      // Multi-byte text, commas, quotes and newlines: byte limits and CSV quoting both matter.
      message: i % 7 === 0 ? `订单 ${i}, "x"\nnext` : `row ${i} ✓`,
      fields: { host: `h${i % 5}`, n: i },
    };
  });
// Cells as the test expects them, computed from its own input.
const expectedCells = (r: LogRow): string[] => [new Date(r.ts).toISOString(), r.message, String(r.fields.host), String(r.fields.n)];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'splitter-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function pythonCsv(bytes: Buffer): string[][] {
  const script = "import csv,io,json,sys\nprint(json.dumps(list(csv.reader(io.StringIO(sys.stdin.buffer.read().decode('utf-8'), newline='')))))";
  const res = spawnSync('python3', ['-c', script], { input: bytes, maxBuffer: 256 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(res.stderr.toString());
  return JSON.parse(res.stdout.toString()) as string[][];
}

/** Runs rows through splitter + archive, in batches like a store stream, and returns the archive bytes. */
async function exportArchive(
  format: 'csv' | 'log' | 'json',
  rows: LogRow[],
  opts: Partial<PartSplitterOptions>,
  matching = rows.length,
): Promise<{ entries: Array<{ name: string; content: Buffer }>; splitter: PartSplitter }> {
  const sink = new PassThrough();
  const collected: Buffer[] = [];
  sink.on('data', (c: Buffer) => collected.push(c));
  const encoder = createRowEncoder(format, { columns: resolveExportColumns(indexSet) });
  const splitter = new PartSplitter({ baseName: 'orders_export', encoder, openPart: (n) => openGzipEntryPart(gzipPartPath(dir, n), n), ...opts });
  for (let i = 0; i < rows.length; i += 333) await splitter.write(rows.slice(i, i + 333));
  const parts = await splitter.finish();
  const warnings = splitter.limitReached === 'rows' ? [rowCapWarning(splitter.rows, matching, opts.maxTotalRows ?? 0)] : [];
  const manifest = buildManifest({
    taskId: 1,
    format,
    timeZone: 'UTC',
    fields: ['dtEventTimeStamp', 'log', 'host', 'n'],
    request: { keyword: '*' },
    desensitized: true,
    warnings,
    parts,
    matchingRows: matching,
    toolVersion: 'test',
  });
  await writeTarGz(sink, [...parts.map((p) => gzipPartEntry(dir, p)), { name: MANIFEST_FILE_NAME, content: manifestBytes(manifest) }]);
  return { entries: await readTarGz(Buffer.concat(collected)), splitter };
}

describe('PartSplitter + archive', () => {
  it('splits by rows into independent CSV parts whose rows equal the input', async () => {
    const rows = mkRows(2500);
    const { entries } = await exportArchive('csv', rows, { maxRowsPerPart: 1000 });
    expect(entries.map((e) => e.name)).toEqual([
      'orders_export_part0001.csv',
      'orders_export_part0002.csv',
      'orders_export_part0003.csv',
      'manifest.json',
    ]);
    const header = ['dtEventTimeStamp', 'log', 'host', 'n'];
    const tables = entries.slice(0, 3).map((e) => pythonCsv(e.content));
    for (const t of tables) expect(t[0]).toEqual(header);
    expect(tables.map((t) => t.length - 1)).toEqual([1000, 1000, 500]);
    expect(tables.flatMap((t) => t.slice(1))).toEqual(rows.map(expectedCells));

    const manifest = JSON.parse(entries[3]!.content.toString()) as ExportManifest;
    expect(manifest.rows).toEqual({ exported: 2500, matching: 2500 });
    expect(manifest.complete).toBe(true);
    expect(manifest.warnings).toEqual([]);
    expect(manifest.parts).toEqual(
      entries.slice(0, 3).map((e, i) => ({
        name: e.name,
        rows: [1000, 1000, 500][i],
        bytes: e.content.length,
        sha256: createHash('sha256').update(e.content).digest('hex'),
      })),
    );
  });

  it('keeps every JSON part under the byte limit and each a valid array', async () => {
    const rows = mkRows(900);
    const limit = 8_000;
    const { entries, splitter } = await exportArchive('json', rows, { maxBytesPerPart: limit, chunkBytes: 1024 });
    const parts = entries.filter((e) => e.name !== 'manifest.json');
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) expect(p.content.length).toBeLessThanOrEqual(limit);
    // Parts are filled: each but the last could not take its successor's first row.
    for (const p of parts.slice(0, -1)) expect(p.content.length).toBeGreaterThan(limit - 300);
    const all = parts.flatMap((p) => JSON.parse(p.content.toString()) as Array<Record<string, unknown>>);
    expect(all.map((o) => o.n)).toEqual(rows.map((r) => r.fields.n));
    expect(all.map((o) => o.log)).toEqual(rows.map((r) => r.message));
    expect(splitter.parts.map((p) => p.rows).reduce((a, b) => a + b, 0)).toBe(900);
  });

  it('stops at the row cap, says so in the manifest, and exports exactly the first N rows', async () => {
    const rows = mkRows(1250);
    const { entries, splitter } = await exportArchive('log', rows, { maxTotalRows: 1000, maxRowsPerPart: 400 });
    expect(splitter.limitReached).toBe('rows');
    const lines = entries
      .filter((e) => e.name.endsWith('.log'))
      .flatMap((e) => e.content.toString().split('\n').filter((l) => l !== ''));
    expect(lines.map((l) => (JSON.parse(l) as { n: number }).n)).toEqual(rows.slice(0, 1000).map((r) => r.fields.n));
    const manifest = JSON.parse(entries.at(-1)!.content.toString()) as ExportManifest;
    expect(manifest.warnings).toEqual(['exported 1,000 of 1,250 matching rows: row limit 1,000 reached']);
    expect(manifest.complete).toBe(false);
    expect(manifest.rows).toEqual({ exported: 1000, matching: 1250 });
  });

  it('stops at the total byte cap without exceeding it', async () => {
    const rows = mkRows(500);
    const cap = 10_000;
    const { entries, splitter } = await exportArchive('csv', rows, { maxTotalBytes: cap, maxBytesPerPart: 3_000 });
    expect(splitter.limitReached).toBe('bytes');
    const parts = entries.filter((e) => e.name.endsWith('.csv'));
    const total = parts.reduce((s, p) => s + p.content.length, 0);
    expect(total).toBeLessThanOrEqual(cap);
    expect(total).toBeGreaterThan(cap - 400);
    const got = parts.flatMap((p) => pythonCsv(p.content).slice(1));
    expect(got).toEqual(rows.slice(0, got.length).map(expectedCells));
    expect(splitter.rows).toBe(got.length);
  });

  it('writes one valid empty part for zero rows', async () => {
    const csv = await exportArchive('csv', [], {});
    expect(csv.entries.map((e) => e.name)).toEqual(['orders_export_part0001.csv', 'manifest.json']);
    expect(csv.entries[0]!.content.toString()).toBe('dtEventTimeStamp,log,host,n\r\n');
    const json = await exportArchive('json', [], {});
    expect(JSON.parse(json.entries[0]!.content.toString())).toEqual([]);
  });

  it('reports each closed part with its last row (checkpoint hook) and resumes numbering', async () => {
    const closed: Array<[string, number, string | undefined]> = [];
    const encoder = createRowEncoder('log', { columns: resolveExportColumns(indexSet) });
    const splitter = new PartSplitter({
      baseName: '../../etc/passwd',
      encoder,
      maxRowsPerPart: 4,
      firstPartNumber: 3,
      openPart: (name) => openGzipEntryPart(gzipPartPath(dir, name), name),
      onPartClosed: (p, last) => {
        closed.push([p.name, p.rows, last?.id]);
      },
    });
    await splitter.write(mkRows(10));
    await splitter.finish();
    expect(closed).toEqual([
      ['_._etc_passwd_part0003.log', 4, '4'],
      ['_._etc_passwd_part0004.log', 4, '8'],
      ['_._etc_passwd_part0005.log', 2, '10'],
    ]);
    // The part file is the tar entry body: the text, then NUL padding to a whole block.
    const text = gunzipSync(await readFile(gzipPartPath(dir, '_._etc_passwd_part0005.log'))).toString().replace(/\0+$/, '');
    expect(text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { n: number }).n)).toEqual([8, 9]);
  });
});
