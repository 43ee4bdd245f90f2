import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/main/app-context.ts';
import { createExportFeature, type ExportFeature } from '../src/main/create-export-feature.ts';
import { createHttpApp } from '../src/main/create-http-app.ts';
import { BACKENDS, createTestContext } from './support/test-context.ts';

// Rows the tests ingest; every expectation below is computed from this list.
const BASE = Date.UTC(2026, 10, 20, 8, 0, 0);
const ROWS = Array.from({ length: 25 }, (_, i) => ({
  time: new Date(BASE + i * 60_000).toISOString(),
  msg: i % 5 === 0 ? `payment time out after ${i} ms` : `request ${i} served`,
  level: i % 5 === 0 ? 'error' : 'info',
  latency: i * 10,
}));
const NDJSON = ROWS.map((r) => JSON.stringify(r)).join('\n');
const RANGE = { start_time: BASE - 1, end_time: BASE + 3_600_000 };

describe.each(BACKENDS)('HTTP API on %s', (backend) => {
  let ctx: AppContext;
  let cleanup: () => Promise<void>;
  let app: FastifyInstance;
  let exports: ExportFeature;
  let ann: string;
  let bob: string;
  let adminToken: string;
  let indexSetId: number;

  const call = (token: string | undefined, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method,
      url,
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
      ...(payload === undefined ? {} : { payload: payload as string }),
    });
  const search = (token: string, body: Record<string, unknown>, id = indexSetId) =>
    call(token, 'POST', `/api/v1/search/index_set/${id}/search/`, { ...RANGE, ...body });
  const ingest = (token: string, body: string, id = indexSetId) =>
    call(token, 'POST', `/api/v1/index_set/${id}/ingest/?format=ndjson&mapping=${encodeURIComponent(JSON.stringify({ time: 'time', message: 'msg' }))}`, body, {
      'content-type': 'application/x-ndjson',
    });
  const totalRows = async () => (await search(adminToken, { size: 1 })).json().data.total as number;

  beforeAll(async () => {
    ({ ctx, cleanup } = await createTestContext(backend));
    exports = await createExportFeature(ctx);
    app = await createHttpApp(ctx, exports, { logger: false });
    const { accounts } = ctx;
    const admin = await accounts.createUser({ username: 'root', role: 'admin' });
    adminToken = (await accounts.createToken(admin.id, { name: 't' })).token;
    for (const [name, biz] of [['ann', 1], ['bob', 2]] as const) {
      await accounts.createBusiness({ bkBizId: biz, name: `biz${biz}` });
      const user = await accounts.createUser({ username: name });
      await accounts.addMembership(user.id, biz);
      const token = (await accounts.createToken(user.id, { name: 't' })).token;
      if (name === 'ann') ann = token;
      else bob = token;
    }
    const created = await call(ann, 'POST', '/api/v1/index_set/', {
      name: 'payments', bkBizId: 1, fields: [{ name: 'level', type: 'keyword' }, { name: 'latency', type: 'long' }],
    });
    expect(created.statusCode).toBe(201);
    indexSetId = created.json().data.id;
    const loaded = await ingest(ann, NDJSON);
    expect(loaded.statusCode).toBe(201);
    expect(loaded.json().data.accepted).toBe(ROWS.length);
  });
  afterAll(async () => {
    await app.close();
    await exports.close();
    await cleanup();
  });

  it('searches with a query and filters, newest first', async () => {
    const res = await search(ann, { keyword: '"time out"', addition: [{ field: 'latency', operator: '>=', value: 100 }] });
    expect(res.statusCode).toBe(200);
    const expected = ROWS.filter((r) => r.msg.includes('time out') && r.latency >= 100).map((r) => r.msg).reverse();
    expect(res.json().data.list.map((r: { log: string }) => r.log)).toEqual(expected);
    expect(res.json().data.total).toBe(expected.length);
  });

  it('pages with search_after through every row exactly once', async () => {
    const seen: string[] = [];
    let after: unknown = undefined;
    for (let page = 0; page < 20; page++) {
      const res = await search(ann, { size: 4, ...(after === undefined ? {} : { search_after: after }) });
      const { list, search_after } = res.json().data as { list: Array<{ log: string }>; search_after: unknown };
      if (list.length === 0) break;
      seen.push(...list.map((r) => r.log));
      after = search_after;
    }
    expect(seen).toEqual(ROWS.map((r) => r.msg).reverse());
  });

  it('rejects malformed NDJSON with line numbers and writes nothing', async () => {
    const before = await totalRows();
    const res = await ingest(ann, `${JSON.stringify(ROWS[0])}\n{"time": "2026-11-20T08:00:00Z", "msg": \n["not", "an", "object"]\n`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BAD_INPUT_LINE');
    expect(res.json().error.details.bad_lines.map((b: { line: number }) => b.line)).toEqual([2, 3]);
    expect(await totalRows()).toBe(before);
  });

  it('rejects an oversized body with 413 and writes nothing', async () => {
    const before = await totalRows();
    const line = JSON.stringify({ time: ROWS[0]?.time, msg: 'x'.repeat(1000) });
    const body = Array.from({ length: Math.ceil(ctx.config.http.bodyLimit / line.length) + 10 }, () => line).join('\n');
    const res = await ingest(ann, body);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await totalRows()).toBe(before);
  });

  it('answers 404 for an unknown index set and for one of another business', async () => {
    for (const [token, id] of [[ann, 999_999], [bob, indexSetId]] as const) {
      const s = await search(token, {}, id);
      expect(s.statusCode).toBe(404);
      expect(s.json().error.code).toBe('INDEX_SET_NOT_FOUND');
      const i = await ingest(token, NDJSON, id);
      expect(i.statusCode).toBe(404);
    }
    const list = await call(bob, 'GET', '/api/v1/index_set/');
    expect(list.json().data).toEqual([]);
  });

  it('rejects a reversed or unreadable time range', async () => {
    const reversed = await search(ann, { start_time: RANGE.end_time, end_time: RANGE.start_time });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.code).toBe('BAD_TIME_RANGE');
    const garbage = await search(ann, { start_time: 'yesterday-ish' });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error.code).toBe('BAD_TIME_RANGE');
  });

  it('rejects unknown fields in filters, queries and sorts', async () => {
    for (const body of [
      { addition: [{ field: 'nope', operator: 'is', value: 'x' }] },
      { keyword: 'nope:x' },
      { sort_list: [['nope', 'asc']] },
    ]) {
      const res = await search(ann, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('UNKNOWN_FIELD');
    }
  });

  it('treats SQL-looking query strings as text', async () => {
    const drop = await search(ann, { keyword: "'; DROP TABLE logs; --" });
    expect([200, 400]).toContain(drop.statusCode);
    if (drop.statusCode === 200) expect(drop.json().data.total).toBe(0);
    // Lucene reading: free text "1" OR free text "1=1", i.e. messages containing "1".
    const tautology = await search(ann, { keyword: '1 OR 1=1' });
    expect(tautology.json().data.total).toBe(ROWS.filter((r) => r.msg.includes('1')).length);
    expect(await totalRows()).toBe(ROWS.length);
  });

  it('refuses missing, malformed, unknown and revoked tokens', async () => {
    expect((await call(undefined, 'GET', '/api/v1/index_set/')).statusCode).toBe(401);
    expect((await call('lsk_bogus_bogus', 'GET', '/api/v1/index_set/')).json().error.code).toBe('BAD_TOKEN');
    const res = await app.inject({ method: 'GET', url: '/api/v1/index_set/', headers: { authorization: 'Basic abc' } });
    expect(res.statusCode).toBe(401);
    const user = await ctx.accounts.getUser('ann');
    const extra = await ctx.accounts.createToken(user.id, { name: 'extra' });
    expect((await call(extra.token, 'GET', '/api/v1/me/')).statusCode).toBe(200);
    await ctx.accounts.revokeToken(extra.info.id);
    expect((await call(extra.token, 'GET', '/api/v1/me/')).statusCode).toBe(401);
  });

  it('validates index sets and business membership on create', async () => {
    const bad = await call(ann, 'POST', '/api/v1/index_set/', { name: 'x', bkBizId: 1, sortFields: ['missing'] });
    expect(bad.statusCode).toBe(400);
    const foreign = await call(ann, 'POST', '/api/v1/index_set/', { name: 'x', bkBizId: 2 });
    expect(foreign.statusCode).toBe(403);
    expect((await call(bob, 'GET', '/api/v1/index_set/')).json().data).toEqual([]);
  });

  it('keeps the jobs page for admins', async () => {
    expect((await call(ann, 'GET', '/api/v1/jobs/')).statusCode).toBe(403);
    const id = await ctx.jobs.enqueue('default', 'noop', { a: 1 });
    const res = await call(adminToken, 'GET', '/api/v1/jobs/?queue=default');
    expect(res.statusCode).toBe(200);
    expect(res.json().data.map((j: { id: string }) => j.id)).toContain(id);
    expect((await call(adminToken, 'GET', '/api/v1/jobs/does-not-exist/')).statusCode).toBe(404);
  });
});
