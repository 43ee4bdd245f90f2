import { buildLoginUrl } from '../accounts/build-login-url.ts';
import type { Config } from '../config/config-schema.ts';
import { createAppContext } from './app-context.ts';
import { createExportFeature } from './create-export-feature.ts';
import { createHttpApp } from './create-http-app.ts';
import { loadDemo } from './load-demo.ts';
import { startWorkers } from './start-workers.ts';

export interface ServeOptions {
  demo?: boolean;
  /** Where the first-start login URL and notices go (the terminal). */
  print?: (line: string) => void;
}

/**
 * `logsift serve`: API (+ in-process workers unless disabled). On a fresh data folder it creates
 * the admin and prints a one-time login URL, like Jupyter. Stops gracefully on SIGINT/SIGTERM.
 */
export async function serve(config: Config, options: ServeOptions = {}): Promise<{ url: string; stop: () => Promise<void> }> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const ctx = await createAppContext(config);
  const exports = await createExportFeature(ctx);
  const app = await createHttpApp(ctx, exports);
  if (options.demo === true) {
    for (const d of await loadDemo(ctx)) print(`demo: loaded ${d.rows} rows into index set ${d.id} (${d.name})`);
  }
  if (config.worker.inProcess) await startWorkers(ctx, exports);
  await app.listen({ host: config.http.host, port: config.http.port });
  const boot = await ctx.accounts.bootstrapAdmin();
  print(`logsift listening on ${config.publicUrl} (API docs: ${config.publicUrl}/docs)`);
  if (boot.loginToken !== undefined) print(`Log in as admin (one-time link, valid 1 hour): ${buildLoginUrl(config.publicUrl, boot.loginToken)}`);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await app.close();
      await ctx.close();
      await exports.close();
    })();
    return stopping;
  };
  return { url: config.publicUrl, stop };
}
