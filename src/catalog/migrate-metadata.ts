import type { Kysely } from 'kysely';
import { ACCOUNTS_MIGRATIONS } from '../accounts/accounts-migrations.ts';
import type { DialectKind } from '../db/database-target.ts';
import { runMigrations } from '../db/run-migrations.ts';
import { CATALOG_MIGRATIONS } from './catalog-migrations.ts';

/**
 * Runs the metadata migrations in dependency order: accounts (users, businesses, tokens), then
 * catalog (index sets reference businesses). Idempotent; call once at start.
 */
export async function migrateMetadata(db: Kysely<unknown>, dialect: DialectKind): Promise<void> {
  await runMigrations(db, dialect, 'accounts', ACCOUNTS_MIGRATIONS);
  await runMigrations(db, dialect, 'catalog', CATALOG_MIGRATIONS);
}
