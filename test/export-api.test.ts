import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../src/main/create-http-app.ts';
import { type ExportEnv, openArchive, parseCsv, setupExportEnv, sortDesc, waitForTask } from '../src/export/testing/export-test-kit.ts';
import { createTestContext } from './support/test-context.ts';

const ROWS = 1200;

describe('export over HTTP (bk-log routes)', () => {
  let env: ExportEnv;
  let app: FastifyInstance;
  const tokens: Record<'ann' | 'carol', string> = { ann: '', carol: '' };

  beforeAll(async () => {
    env = await setupExportEnv(() => createTestContext('sqlite'), { rows: ROWS });
    app = await createHttpApp(env.ctx, env.feature, { logger: false });
    for (const name of ['ann', 'carol'] as const) {
      tokens[name] = (await env.ctx.accounts.createToken(env[name].userId, { name: 't' })).token;
    }
  });
  afterAll(async () => {
    await app.close();
    await env.cleanup();
  });

  const as = (who: 'ann' | 'carol') => ({ authorization: `Bearer ${tokens[who]}` });
  const body = (extra: Record<string, unknown> = {}) => ({
    bk_biz_id: 1, start_time: env.rows[0]!.ts - 1, end_time: env.rows.at(-1)!.ts + 1, begin: 0, size: ROWS, ...extra,
  });
  const create = (who: 'ann' | 'carol', id: number | string, extra: Record<string, unknown> = {}) =>
    app.inject({ method: 'POST', url: `/api/v1/search/index_set/${id}/async_export/`, headers: as(who), payload: body(extra) });

  it('creates, runs, redirects and serves a CSV archive holding exactly the query rows', async () => {
    const res = await create('ann', env.indexSet.id, { file_type: 'csv', export_fields: ['level', 'n'], keyword: 'level:error' });
    expect(res.statusCode).toBe(200);
    const taskId = res.json().data.task_id as number;
    expect(res.json().data.prompt).toEqual(expect.any(String));
    expect((await waitForTask(env.service, taskId, env.ann)).exportStatus).toBe('success');

    const redirect = await app.inject({ method: 'GET', url: `/api/v1/search/index_set/async_export/download_file/?task_id=${taskId}&bk_biz_id=1`, headers: as('ann') });
    expect(redirect.statusCode).toBe(302);
    const location = new URL(redirect.headers.location as string, 'http://x');
    expect(location.pathname).toBe('/api/v1/export/download/');
    const file = await app.inject({ method: 'GET', url: `${location.pathname}${location.search}` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/attachment/);

    const { files } = openArchive(file.rawPayload);
    const csvParts = [...files.keys()].filter((n) => n.endsWith('.csv')).sort();
    const records = csvParts.flatMap((n) => parseCsv(files.get(n)!).slice(1));
    const expected = sortDesc(env.rows).filter((r) => r.fields.level === 'error').map((r) => [r.fields.level, String(r.fields.n)]);
    expect(records).toEqual(expected);
    expect(files.has('manifest.json')).toBe(true);

    const history = await app.inject({
      method: 'GET', url: `/api/v1/search/index_set/${env.indexSet.id}/export_history/?bk_biz_id=1&page=1&pagesize=10&show_all=false`, headers: as('ann'),
    });
    const item = (history.json().data.list as Array<Record<string, unknown>>).find((t) => t.id === taskId);
    expect(item).toMatchObject({ export_status: 'success', download_count: 1, exported_count: expected.length });
  });

  it('answers another business\'s user with 404 and a forged link with 401', async () => {
    const res = await create('ann', env.indexSet.id);
    const taskId = res.json().data.task_id as number;
    await waitForTask(env.service, taskId, env.ann);
    const foreign = await app.inject({ method: 'GET', url: `/api/v1/search/index_set/async_export/download_file/?task_id=${taskId}`, headers: as('carol') });
    expect(foreign.statusCode).toBe(404);
    const forged = await app.inject({ method: 'GET', url: '/api/v1/export/download/?token=eyJ0YXNrSWQiOjF9.AAAA' });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('BAD_TOKEN');
  });

  it('rejects bad requests with clear 4xx codes and creates no task', async () => {
    const before = await env.service.history({ bkBizId: 1, showAll: true, page: 1, pageSize: 1000 }, env.admin);
    const cases: Array<[number | string, Record<string, unknown>, number, string]> = [
      [999_999, {}, 404, 'INDEX_SET_NOT_FOUND'],
      [env.indexSet.id, { start_time: env.rows.at(-1)!.ts + 10, end_time: env.rows[0]!.ts }, 400, 'BAD_TIME_RANGE'],
      [env.indexSet.id, { export_fields: ['nope'] }, 400, 'UNKNOWN_FIELD'],
      [env.indexSet.id, { file_type: 'xlsx' }, 400, 'VALIDATION_FAILED'],
      ['..%2F..%2Fetc', {}, 400, 'VALIDATION_FAILED'],
    ];
    for (const [id, extra, status, code] of cases) {
      const res = await create('ann', id, extra);
      expect(res.statusCode, `${id} ${JSON.stringify(extra)}`).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    const malformed = await app.inject({
      method: 'POST', url: `/api/v1/search/index_set/${env.indexSet.id}/async_export/`, headers: { ...as('ann'), 'content-type': 'application/json' }, payload: '{"bk_biz_id": 1,',
    });
    expect(malformed.statusCode).toBe(400);
    const after = await env.service.history({ bkBizId: 1, showAll: true, page: 1, pageSize: 1000 }, env.admin);
    expect(after.total).toBe(before.total);
  });
});
