import { type Kysely, type Migration, Migrator, sql } from 'kysely';
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
  const migrate = (on: Kysely<unknown>) =>
    new Migrator({
      db: on,
      provider: { getMigrations: async () => provided },
      migrationTableName: `logsift_${component}_migrations`,
      migrationLockTableName: `logsift_${component}_migrations_lock`,
    }).migrateToLatest();
  let error: unknown;
  if (dialect === 'postgres') {
    // Kysely's Postgres migrator takes an advisory lock and a transaction itself.
    ({ error } = await migrate(db));
  } else {
    // Kysely's SQLite migrator takes neither, so two processes starting on one fresh file (API +
    // worker) would both see "nothing applied" and both run 0001. BEGIN IMMEDIATE takes the write
    // lock before the migrator reads its bookkeeping: the second process waits (busy_timeout),
    // then finds everything applied. SQLite DDL is transactional, so a failure leaves nothing.
    error = await migrateExclusively(db, migrate);
  }
  if (error !== undefined) {
    throw new AppError('INTERNAL', `migrations of ${component} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
}

async function migrateExclusively(
  db: Kysely<unknown>,
  migrate: (on: Kysely<unknown>) => Promise<{ error?: unknown }>,
): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const error = await db.connection().execute(async (conn) => {
      try {
        await sql`begin immediate`.execute(conn);
      } catch (e) {
        return e;
      }
      const result = await migrate(conn);
      await sql.raw(result.error === undefined ? 'commit' : 'rollback').execute(conn);
      return result.error;
    });
    // busy_timeout already waited; a long first migration elsewhere may still outlast it.
    if (!isBusy(error) || attempt === 10) return error;
    await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
