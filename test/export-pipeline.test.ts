/**
 * The async export end to end on the embedded store and PostgreSQL with local storage: create →
 * worker pipeline → archive → signed download, the archive opened with the system tar and its rows
 * compared with the rows this test ingested and filtered itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/shared/app-error.ts';
import { signDownloadToken } from '../src/export/download-token.ts';
import { ExportService } from '../src/export/export-service.ts';
import type { ExportManifest } from '../src/export/packaging/export-manifest.ts';
import {
  BASE_TS, maskPhone, openArchive, parseCsv, parseNdjson, readAll, setupExportEnv, sortDesc, waitForTask, type ExportEnv, type KnownRow,
} from '../src/export/testing/export-test-kit.ts';
import { BACKENDS, createTestContext } from './support/test-context.ts';

const csvCell = (v: string): string => (/^[=+\-@\t\r\n]/.test(v) ? `'${v}` : v);

async function download(env: ExportEnv, taskId: number, who = env.ann): Promise<Buffer> {
  const link = await env.service.downloadLink(taskId, who);
  const token = new URL(link.url).searchParams.get('token')!;
  const file = await env.service.openSignedDownload(token);
  expect(file.fileName).toMatch(/^[A-Za-z0-9_.-]+\.tar\.gz$/);
  const bytes = await readAll(file.stream);
  expect(bytes.length).toBe(file.size);
  return bytes;
}

/** Concatenated data rows of the parts named `<prefix>_partNNNN.csv`, in part order, header checked. */
function csvRowsOf(files: Map<string, Buffer>, names: string[], header: string[]): string[][] {
  const rows: string[][] = [];
  for (const name of names) {
    const parsed = parseCsv(files.get(name)!);
    expect(parsed[0]).toEqual(header);
    rows.push(...parsed.slice(1));
  }
  return rows;
}

describe.each(BACKENDS)('async export pipeline on %s', (backend) => {
  let env: ExportEnv;
  beforeAll(async () => {
    env = await setupExportEnv(() => createTestContext(backend), {
      rows: 2_000,
      overrides: { limits: { maxRowsPerPart: 300, pageSize: 128 } },
    });
  }, 60_000);
  afterAll(async () => env?.cleanup());

  it('exports a filtered csv in several parts, masked, every matching row exactly once', async () => {
    const start = BASE_TS + 50_000;
    const end = BASE_TS + 600_000;
    const created = await env.service.create(
      { indexSetIds: [env.indexSet.id], search: { startTime: start, endTime: end, query: 'level:error' }, format: 'csv', timeZone: 'Asia/Shanghai' },
      env.ann,
    );
    expect(created.prompt).toMatch(/estimated wait 1 min/);
    const done = await waitForTask(env.service, created.taskId, env.ann);
    expect(done.exportStatus).toBe('success');
    const expected = sortDesc(env.rows.filter((r) => r.ts >= start && r.ts <= end && r.fields.level === 'error'));
    expect(expected.length).toBeGreaterThan(300);
    expect(done.exportedCount).toBe(expected.length);
    expect(done.warnings).toEqual([]);

    const { names, files } = openArchive(await download(env, created.taskId));
    expect(names.at(-1)).toBe('manifest.json');
    const parts = names.filter((n) => n.endsWith('.csv'));
    expect(parts.length).toBe(Math.ceil(expected.length / 300));
    const got = csvRowsOf(files, parts, ['dtEventTimeStamp', 'log', 'level', 'phone', 'n']);
    expect(got.map((r) => [Date.parse(r[0]!), ...r.slice(1)])).toEqual(
      expected.map((r) => [r.ts, csvCell(r.message), 'error', maskPhone(r.fields.phone), String(r.fields.n)]),
    );
    expect(got[0]![0]).toMatch(/\+08:00$/);
    const manifest = JSON.parse(files.get('manifest.json')!.toString()) as ExportManifest;
    expect(manifest.rows).toEqual({ exported: expected.length, matching: expected.length });
    expect(manifest.complete).toBe(true);
    expect(manifest.timeZone).toBe('Asia/Shanghai');
    expect(manifest.desensitized).toBe(true);
    expect(manifest.parts.map((p) => p.name)).toEqual(parts);

    const again = await env.service.get(created.taskId, env.ann);
    expect(again.downloadCount).toBe(1);
    const history = await env.service.history({ bkBizId: 1, indexSetId: env.indexSet.id, showAll: false, page: 1, pageSize: 10 }, env.ann);
    expect(history.list.find((t) => t.id === created.taskId)?.exportStatus).toBe('success');
  });

  it('lets an admin export raw ndjson; rows ingested after create are not included', async () => {
    const created = await env.service.create(
      { indexSetIds: [env.indexSet.id], search: { startTime: BASE_TS - 10_000, endTime: BASE_TS + 10_000_000 }, isDesensitize: false, format: 'log' },
      env.admin,
    );
    // Ingested after the cut-off: must not appear even if the worker starts later.
    await env.ctx.store.append(env.indexSet, [{ ts: BASE_TS - 5_000, message: 'late row', fields: { level: 'info' } }]);
    const done = await waitForTask(env.service, created.taskId, env.admin);
    expect(done.exportStatus).toBe('success');
    const { files, names } = openArchive(await download(env, created.taskId, env.admin));
    const rows = names.filter((n) => n.endsWith('.log')).flatMap((n) => parseNdjson(files.get(n)!));
    const expected = sortDesc(env.rows);
    expect(rows.map((r) => [Date.parse(String(r.dtEventTimeStamp)), r.log, r.phone, r.n])).toEqual(
      expected.map((r: KnownRow) => [r.ts, r.message, r.fields.phone, r.fields.n]),
    );
  });

  it('quick export: parallel time slices, each its own part, no row lost or repeated', async () => {
    const created = await env.service.create(
      { indexSetIds: [env.indexSet.id], search: { startTime: BASE_TS, endTime: BASE_TS + 700_000 }, quick: true, format: 'log', fields: ['n'] },
      env.bob,
    );
    const done = await waitForTask(env.service, created.taskId, env.bob);
    expect(done.exportStatus).toBe('success');
    const { files, names } = openArchive(await download(env, created.taskId, env.bob));
    expect(names.filter((n) => /_slice\d_part\d+\.log$/.test(n)).length).toBeGreaterThanOrEqual(3);
    const got = names.filter((n) => n.endsWith('.log')).flatMap((n) => parseNdjson(files.get(n)!)).map((r) => r.n as number);
    const expected = env.rows.filter((r) => r.ts <= BASE_TS + 700_000).map((r) => r.fields.n);
    expect([...got].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
  });

  it('union export: per-index-set parts with each set\'s own sort', async () => {
    const created = await env.service.create(
      {
        indexSetIds: [env.other.id, env.indexSet.id],
        search: { startTime: BASE_TS, endTime: BASE_TS + 10_000_000 },
        format: 'log', fields: ['n', 'phone'], sortMappings: { [env.other.id]: [['n', 'asc']] },
      },
      env.ann,
    );
    const done = await waitForTask(env.service, created.taskId, env.ann);
    expect(done.exportStatus).toBe('success');
    expect(done.indexSetType).toBe('union');
    const { files, names } = openArchive(await download(env, created.taskId));
    const of = (id: number) => names.filter((n) => n.includes(`_${id}_part`)).flatMap((n) => parseNdjson(files.get(n)!));
    expect(of(env.other.id).map((r) => r.n)).toEqual([...env.otherRows].sort((a, b) => a.fields.n - b.fields.n).map((r) => r.fields.n));
    expect(of(env.other.id)[0]!.phone).toBe(env.otherRows.find((r) => r.fields.n === 7)!.fields.phone);
    expect(of(env.indexSet.id).map((r) => r.n)).toEqual(sortDesc(env.rows).map((r) => r.fields.n));
    expect(of(env.indexSet.id)[0]!.phone).toMatch(/\*{4}$/);
  });

  it('a row cap ends in success WITH a warning in the manifest and history, never silently', async () => {
    // A service with a lower cap: the cap is fixed on the task at create, the shared worker honours it.
    const service = new ExportService({ ...env.feature.deps, limits: { ...env.feature.deps.limits, maxRows: 250 } });
    const created = await service.create({ indexSetIds: [env.indexSet.id], search: { startTime: BASE_TS, endTime: BASE_TS + 10_000_000 } }, env.ann);
    const done = await waitForTask(service, created.taskId, env.ann);
    expect(done.exportStatus).toBe('success');
    expect(done.exportedCount).toBe(250);
    expect(done.warnings).toEqual([`exported 250 of ${env.rows.length.toLocaleString('en-US')} matching rows: row limit 250 reached`]);
    const { files, names } = openArchive(await download(env, created.taskId));
    const rows = names.filter((n) => n.endsWith('.log')).flatMap((n) => parseNdjson(files.get(n)!));
    expect(rows.map((r) => r.n)).toEqual(sortDesc(env.rows).slice(0, 250).map((r) => r.fields.n));
    const manifest = JSON.parse(files.get('manifest.json')!.toString()) as ExportManifest;
    expect(manifest.complete).toBe(false);
    expect(manifest.warnings).toEqual(done.warnings);
    expect(manifest.rows).toEqual({ exported: 250, matching: env.rows.length });
  });

  it('refuses forged, expired and foreign downloads', async () => {
    const created = await env.service.create({ indexSetIds: [env.indexSet.id], search: { startTime: BASE_TS, endTime: BASE_TS + 1000 } }, env.ann);
    await waitForTask(env.service, created.taskId, env.ann);
    await expect(env.service.downloadLink(created.taskId, env.bob)).rejects.toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
    await expect(env.service.downloadLink(created.taskId, env.carol)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const link = await env.service.downloadLink(created.taskId, env.ann);
    const token = new URL(link.url).searchParams.get('token')!;
    const forged = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    await expect(env.service.openSignedDownload(forged)).rejects.toMatchObject({ code: 'BAD_TOKEN', httpStatus: 401 });
    const expired = signDownloadToken({ taskId: created.taskId, userId: String(env.ann.userId), expiresAt: Date.now() - 1 }, env.feature.deps.downloadSecret);
    await expect(env.service.openSignedDownload(expired)).rejects.toBeInstanceOf(AppError);
    await expect(env.service.openSignedDownload(expired)).rejects.toMatchObject({ code: 'BAD_TOKEN' });
    await expect(env.service.openSignedDownload('../../etc/passwd')).rejects.toMatchObject({ code: 'BAD_TOKEN' });
  });
});
