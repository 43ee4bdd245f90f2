import type { FastifyInstance } from 'fastify';
import { buildApp } from '../http/build-app.ts';
import { exportRoutes } from '../http/routes/export-routes.ts';
import { accountRoutes } from '../http/routes/account-routes.ts';
import { indexSetRoutes } from '../http/routes/index-set-routes.ts';
import { ingestRoutes } from '../http/routes/ingest-routes.ts';
import { jobRoutes } from '../http/routes/job-routes.ts';
import { searchRoutes } from '../http/routes/search-routes.ts';
import { uiRoutes } from '../http/routes/ui-routes.ts';
import type { AppContext } from './app-context.ts';
import type { ExportFeature } from './create-export-feature.ts';
import { VERSION } from './version.ts';

/** The HTTP app over a context's services; `logger: false` for tests and benches. */
export async function createHttpApp(ctx: AppContext, exports: ExportFeature, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  return buildApp({
    version: VERSION,
    authenticate: (token) => ctx.accounts.authenticate(token),
    metricsRegistry: ctx.metrics,
    logger: options.logger === false ? false : ctx.logger,
    bodyLimitBytes: ctx.config.http.bodyLimit,
    routes: [
      uiRoutes,
      accountRoutes(ctx.accounts),
      indexSetRoutes(ctx.indexSets, ctx.logs),
      searchRoutes(ctx.logs),
      ingestRoutes(ctx.logs),
      jobRoutes(ctx.jobs),
      exportRoutes(exports.service),
    ],
  });
}
