import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { type Authenticate, registerAuth } from './plugins/auth.ts';
import { registerErrorHandler } from './plugins/error-handler.ts';
import { registerMetrics } from './plugins/metrics.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { healthRoutes } from './routes/health.ts';

export interface BuildAppOptions {
  version: string;
  authenticate: Authenticate;
  /** Route groups, each a function adding its routes (see src/main for the list). */
  routes: Array<(app: FastifyInstance) => void>;
  metricsRegistry?: Registry;
  logger?: FastifyBaseLogger | boolean;
  /** Largest accepted request body; larger bodies get 413 PAYLOAD_TOO_LARGE. */
  bodyLimitBytes?: number;
}

/** Builds the Fastify app without listening, so tests use `inject()` and `serve` adds `listen()`. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: typeof options.logger === 'object' ? options.logger : undefined,
    logger: typeof options.logger === 'boolean' ? options.logger : undefined,
    bodyLimit: options.bodyLimitBytes ?? 10 * 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  registerErrorHandler(app);
  await registerOpenApi(app, options.version);
  registerAuth(app, options.authenticate);
  registerMetrics(app, options.metricsRegistry ?? new Registry());
  healthRoutes(app, options.version);
  for (const addRoutes of options.routes) addRoutes(app);
  return app;
}
