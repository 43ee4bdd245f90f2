/**
 * A `logsift worker`-like child process for test/export-crash.test.ts: builds the app context
 * from the given environment, registers the export handler on `async_export` and works. With
 * `slow`, every store page is delayed so the test's SIGKILL surely lands mid-export. Usage:
 *   node --import tsx export-crash-worker.fixture.ts '<env JSON>' [slow]
 */
import pino from 'pino';
import { loadConfig } from '../config/load-config.ts';
import { createAppContext } from '../main/app-context.ts';
import { createExportFeature } from '../main/create-export-feature.ts';
import { slowStore } from './testing/export-test-kit.ts';

const [envJson = '{}', mode = ''] = process.argv.slice(2);
const config = loadConfig({ env: JSON.parse(envJson) as Record<string, string>, secrets: 'memory' });
const ctx = await createAppContext(config, { logger: pino({ level: 'silent' }) });

const feature = await createExportFeature(ctx, {
  store: mode === 'slow' ? slowStore(ctx.store, 30) : ctx.store,
  limits: { maxRowsPerPart: 20_000, pageSize: 2_000 },
});
ctx.jobs.work('async_export', feature.jobHandler);
process.on('SIGTERM', () => {
  void ctx.close().then(() => process.exit(0));
});
await ctx.jobs.start();
process.stdout.write('ready\n');
