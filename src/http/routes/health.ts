import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

/** Liveness: answers from memory only, never touching the store, so it stays fast under load. */
export function healthRoutes(app: FastifyInstance, version: string): void {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String(), uptimeSeconds: Type.Number() }) },
      },
    },
    async () => ({ status: 'ok' as const, version, uptimeSeconds: Math.round(process.uptime()) }),
  );
}
