import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import { limitsOf } from '../export/export-deps.ts';
import { createAppContext } from './app-context.ts';
import { createExportFeature } from './create-export-feature.ts';

const dir = mkdtempSync(join(tmpdir(), 'logsift-feature-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createExportFeature', () => {
  it('takes the gzip level from export.gzipLevel, below explicit limits', async () => {
    const config = loadConfig({ env: { LOGSIFT_DATA_DIR: dir, LOGSIFT_EXPORT_GZIP_LEVEL: '9' }, secrets: 'memory' });
    const ctx = await createAppContext(config, { logger: pino({ level: 'silent' }) });
    try {
      const fromConfig = await createExportFeature(ctx);
      const overridden = await createExportFeature(ctx, { limits: { gzipLevel: 3 } });
      expect([limitsOf(fromConfig.deps).gzipLevel, limitsOf(overridden.deps).gzipLevel]).toEqual([9, 3]);
      await Promise.all([fromConfig.close(), overridden.close()]);
    } finally {
      await ctx.close();
    }
  });
});
