import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/load-config.ts';
import { type AppContext, createAppContext } from '../../src/main/app-context.ts';
import { createTestDatabase } from './pg-database.ts';

export const BACKENDS = ['sqlite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

/**
 * A fully wired context on a fresh embedded data dir or a fresh PostgreSQL database, the same
 * way `logsift serve` builds one. `cleanup()` closes it and removes the data.
 */
export async function createTestContext(backend: Backend): Promise<{ ctx: AppContext; cleanup: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'logsift-ctx-'));
  const pg = backend === 'postgres' ? await createTestDatabase('ctx') : undefined;
  const env: Record<string, string> = { LOGSIFT_DATA_DIR: dataDir, LOGSIFT_JOBS_POLL_INTERVAL_MS: '100' };
  if (pg !== undefined) {
    env.LOGSIFT_DATABASE_URL = pg.url;
    env.LOGSIFT_EXPORT_DOWNLOAD_SECRET = 'x'.repeat(40);
  }
  const config = loadConfig({ env, secrets: 'memory' });
  const ctx = await createAppContext(config, { logger: pino({ level: 'silent' }) });
  return {
    ctx,
    async cleanup() {
      await ctx.close();
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
