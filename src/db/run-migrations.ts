import { type Kysely, type Migration, Migrator } from 'kysely';
import { AppError } from '../shared/app-error.ts';
import type { DialectKind } from './database-target.ts';

/** A migration that may need to know the dialect (partitioning, FTS, extensions differ). */
export interface VersionedMigration {
  up(db: Kysely<unknown>, dialect: DialectKind): Promise<void>;
}

/**
 * Runs a component's migrations (store, jobs, accounts, export…) to the latest version. Each
 * component has its own bookkeeping tables so components evolve independently. Names must sort
 * in order: `0001_initial`, `0002_…`. A database newer than the code is an error, not a guess.
 */
export async function runMigrations(
  db: Kysely<unknown>,
  dialect: DialectKind,
  component: string,
  migrations: Record<string, VersionedMigration>,
): Promise<void> {
  const provided: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(migrations)) provided[name] = { up: (d) => m.up(d, dialect) };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => provided },
    migrationTableName: `logsift_${component}_migrations`,
    migrationLockTableName: `logsift_${component}_migrations_lock`,
  });
  let { error } = await migrator.migrateToLatest();
  // SQLite has no migration lock: when two processes start together (API + worker), the loser's
  // deferred transaction gets SQLITE_BUSY. Its migrations are then done by the winner; retrying
  // finds them applied.
  for (let attempt = 1; isBusy(error) && attempt <= 10; attempt++) {
    await new Promise((r) => setTimeout(r, 50 * attempt));
    ({ error } = await migrator.migrateToLatest());
  }
  if (error !== undefined) {
    throw new AppError('INTERNAL', `migrations of ${component} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
