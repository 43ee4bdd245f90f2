/**
 * The building blocks composed the way the export pipeline uses them: a union export of two index
 * sets (each its own columns and parts), one of them in two parallel slices, masking rules applied,
 * one archive with a manifest. Read back with the system tar and Python's csv module.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexSet } from '../../store/index-set.ts';
import type { LogRow } from '../../store/log-row.ts';
import { compileDesensitizer } from '../desensitize.ts';
import { resolveExportColumns } from '../formats/export-columns.ts';
import { createRowEncoder } from '../formats/format-registry.ts';
import { buildManifest, manifestBytes, MANIFEST_FILE_NAME, type ExportManifest } from './export-manifest.ts';
import { gzipPartEntry, gzipPartPath, openGzipEntryPart } from './gzip-entry-part.ts';
import { PartSplitter, type PartSummary } from './part-splitter.ts';
import { writeTarGz } from './write-tar-gz.ts';

const base = (id: number, fields: IndexSet['fields'], rules: IndexSet['desensitizeRules'] = []): IndexSet => ({
  id,
  name: `set${id}`,
  bkBizId: 1,
  timeField: 'dtEventTimeStamp',
  messageField: 'log',
  fields,
  sortFields: ['dtEventTimeStamp'],
  retentionDays: 7,
  desensitizeRules: rules,
  createdAt: '',
  createdBy: '',
});
const setA = base(1, [{ name: 'phone', type: 'keyword' }], [{ field: 'phone', pattern: '\\d{4}$' }]);
const setB = base(2, [{ name: 'code', type: 'long' }]);
const rowsA: LogRow[] = Array.from({ length: 30 }, (_, i) => ({
  id: String(i + 1), indexSetId: 1, ts: Date.UTC(2026, 0, 1, 0, 0, i), ingestedAt: 0,
  message: `a${i}`, fields: { phone: `1380000${String(i).padStart(4, '0')}` },
}));
const rowsB: LogRow[] = Array.from({ length: 40 }, (_, i) => ({
  id: String(100 + i), indexSetId: 2, ts: Date.UTC(2026, 0, 1, 1, 0, i), ingestedAt: 0,
  message: i === 3 ? '=2+5' : `b${i}`, fields: { code: i },
}));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'blocks-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const csvRows = (bytes: Buffer): string[][] => {
  const py = "import csv,io,json,sys\nprint(json.dumps(list(csv.reader(io.StringIO(sys.stdin.buffer.read().decode('utf-8'), newline='')))))";
  return JSON.parse(spawnSync('python3', ['-c', py], { input: bytes }).stdout.toString()) as string[][];
};

describe('export building blocks together', () => {
  it('builds a union archive with masked rows, parallel slices and a manifest', async () => {
    const archivePath = join(dir, 'union.tar.gz');
    const openPart = (n: string) => openGzipEntryPart(gzipPartPath(dir, n), n);
    const parts: PartSummary[] = [];

    // Index set A: masked, one splitter.
    const maskA = compileDesensitizer(setA.desensitizeRules, { messageField: 'log', timeField: 'dtEventTimeStamp', raw: false });
    const encA = createRowEncoder('csv', { columns: resolveExportColumns(setA), timeZone: 'Asia/Shanghai' });
    const splitA = new PartSplitter({ baseName: 'u_1', encoder: encA, openPart, maxRowsPerPart: 20 });
    await splitA.write(rowsA.map(maskA));
    parts.push(...(await splitA.finish()));

    // Index set B: two slices in parallel sharing one encoder, each its own parts.
    const encB = createRowEncoder('csv', { columns: resolveExportColumns(setB), timeZone: 'Asia/Shanghai' });
    const slices = [rowsB.slice(0, 20), rowsB.slice(20)];
    const sliceParts = await Promise.all(
      slices.map(async (rows, s) => {
        const splitter = new PartSplitter({ baseName: `u_2_slice${s + 1}`, encoder: encB, openPart });
        for (let i = 0; i < rows.length; i += 3) await splitter.write(rows.slice(i, i + 3));
        return splitter.finish();
      }),
    );
    parts.push(...sliceParts.flat());

    const manifest = buildManifest({
      taskId: 5, format: 'csv', timeZone: 'Asia/Shanghai', fields: ['dtEventTimeStamp', 'log'],
      request: { index_set_ids: [1, 2] }, desensitized: true, warnings: [], parts, matchingRows: 70,
      csv: { bom: false, formulaEscaping: true, formulaCellsEscaped: encB.stats().formulaCellsEscaped }, toolVersion: 't',
    });
    await writeTarGz(createWriteStream(archivePath), [
      ...parts.map((p) => gzipPartEntry(dir, p)),
      { name: MANIFEST_FILE_NAME, content: manifestBytes(manifest) },
    ]);

    const out = await mkdtemp(join(dir, 'x-'));
    execFileSync('tar', ['-xzf', archivePath, '-C', out]);
    const names = execFileSync('tar', ['-tzf', archivePath]).toString().trim().split('\n');
    expect([...names].sort()).toEqual(
      ['manifest.json', 'u_1_part0001.csv', 'u_1_part0002.csv', 'u_2_slice1_part0001.csv', 'u_2_slice2_part0001.csv'],
    );
    expect(names.at(-1)).toBe('manifest.json');

    const read = async (n: string): Promise<string[][]> => csvRows(await readFile(join(out, n)));
    const a = [...(await read('u_1_part0001.csv')), ...(await read('u_1_part0002.csv')).slice(1)];
    expect(a[0]).toEqual(['dtEventTimeStamp', 'log', 'phone']);
    expect(a.slice(1)).toEqual(
      rowsA.map((r, i) => [`2026-01-01T08:00:${String(i).padStart(2, '0')}.000+08:00`, `a${i}`, '1380000****']),
    );
    const b = [...(await read('u_2_slice1_part0001.csv')).slice(1), ...(await read('u_2_slice2_part0001.csv')).slice(1)];
    expect(b).toEqual(
      rowsB.map((r, i) => [`2026-01-01T09:00:${String(i).padStart(2, '0')}.000+08:00`, i === 3 ? "'=2+5" : `b${i}`, String(i)]),
    );

    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as ExportManifest;
    expect(m.rows).toEqual({ exported: 70, matching: 70 });
    expect(m.parts.map((p) => p.rows).sort((x, y) => x - y)).toEqual([10, 20, 20, 20]);
    expect(m.csv?.formulaCellsEscaped).toBe(1);
    expect(m.timeZone).toBe('Asia/Shanghai');
  });
});
