import type { Command } from 'commander';
import { loadCliConfig } from '../cli-context.ts';

/** `logsift serve` (API + in-process workers) and `logsift worker` (workers only, scale-out). */
export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API (and run job workers in-process unless --no-workers)')
    .option('--host <host>', 'listen address (env LOGSIFT_HTTP_HOST)')
    .option('--port <port>', 'listen port (env LOGSIFT_HTTP_PORT)')
    .option('--no-workers', 'do not run job workers in this process')
    .option('--demo', 'load the bundled demo logs on first start')
    .action(async (opts: { host?: string; port?: string; workers: boolean; demo?: boolean }, cmd: Command) => {
      const config = await loadCliConfig(cmd, {
        http: { ...(opts.host === undefined ? {} : { host: opts.host }), ...(opts.port === undefined ? {} : { port: opts.port }) },
        ...(opts.workers ? {} : { worker: { inProcess: false } }),
      });
      const { serve } = await import('../../main/serve.ts');
      const server = await serve(config, { demo: opts.demo === true });
      await waitForSignal();
      process.stderr.write('logsift: stopping (waiting for running jobs)…\n');
      await server.stop();
    });

  program
    .command('worker')
    .description('run job workers (several processes may share one database)')
    .option('--concurrency <n>', 'jobs run at the same time per queue (env LOGSIFT_WORKER_CONCURRENCY)')
    .action(async (opts: { concurrency?: string }, cmd: Command) => {
      const overrides = opts.concurrency === undefined ? {} : { worker: { concurrency: opts.concurrency } };
      const config = await loadCliConfig(cmd, overrides);
      const { createAppContext } = await import('../../main/app-context.ts');
      const { startWorkers } = await import('../../main/start-workers.ts');
      const { createExportFeature } = await import('../../main/create-export-feature.ts');
      const ctx = await createAppContext(config);
      const exports = await createExportFeature(ctx);
      await startWorkers(ctx, exports);
      ctx.logger.info({ target: ctx.target.kind }, 'worker started');
      await waitForSignal();
      ctx.logger.info('worker stopping (waiting for running jobs)');
      await ctx.close();
      await exports.close();
    });
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
