import { join } from 'node:path';
import type { DatabaseTarget } from '../db/database-target.ts';
import type { Config } from './config-schema.ts';

/** Name of the embedded SQLite file inside the data dir. */
export const SQLITE_FILE = 'logsift.db';

/** PostgreSQL when `databaseUrl` is set, otherwise the embedded file `<dataDir>/logsift.db`. */
export function databaseTargetFromConfig(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'databasePoolSize'>): DatabaseTarget {
  return config.databaseUrl === undefined
    ? { kind: 'sqlite', file: join(config.dataDir, SQLITE_FILE) }
    : { kind: 'postgres', url: config.databaseUrl, poolSize: config.databasePoolSize };
}
