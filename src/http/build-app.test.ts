import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../shared/app-error.ts';
import { buildApp } from './build-app.ts';
import { ok } from './envelope.ts';
import { principalOf } from './plugins/auth.ts';

let app: FastifyInstance;

beforeAll(async () => {
  app = await buildApp({
    version: 'test',
    bodyLimitBytes: 1024,
    authenticate: async (token) => {
      if (token !== 'good') throw new AppError('BAD_TOKEN');
      return { userId: 7, username: 'ann', role: 'user', bizIds: [2] };
    },
    routes: [
      (a) => {
        a.get('/api/v1/me', async (req) => ok(principalOf(req)));
        a.post('/api/v1/echo', { schema: { body: Type.Object({ n: Type.Integer({ minimum: 1 }) }) } }, async (req) => ok(req.body));
        a.get('/api/v1/boom', async () => {
          throw new Error('secret internals');
        });
      },
    ],
  });
});
afterAll(async () => app.close());

const auth = { authorization: 'Bearer good' };

describe('HTTP core', () => {
  it('answers health without a token', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', version: 'test' });
  });

  it('rejects a missing token with 401 UNAUTHENTICATED', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ result: false, code: 401, error: { code: 'UNAUTHENTICATED' } });
  });

  it('rejects a bad token with 401 BAD_TOKEN', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('BAD_TOKEN');
  });

  it('passes the principal to routes inside the bk-log envelope', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/me', headers: auth });
    expect(res.json()).toEqual({ result: true, code: 0, message: '', data: { userId: 7, username: 'ann', role: 'user', bizIds: [2] } });
  });

  it('maps schema violations, malformed JSON and oversized bodies to 4xx codes', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/v1/echo', headers: auth, payload: { n: 0 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const malformed = await app.inject({ method: 'POST', url: '/api/v1/echo', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"n": 1' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('VALIDATION_FAILED');
    const big = await app.inject({ method: 'POST', url: '/api/v1/echo', headers: auth, payload: { n: 1, pad: 'x'.repeat(2000) } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('hides internal error messages behind a 500 INTERNAL', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/boom', headers: auth });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret internals');
    expect(res.json().error.code).toBe('INTERNAL');
  });

  it('serves an OpenAPI document listing the routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/api/v1/echo']));
  });

  it('returns 404 NOT_FOUND in the envelope for unknown routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope', headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});
