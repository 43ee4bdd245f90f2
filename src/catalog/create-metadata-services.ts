import type { Kysely } from 'kysely';
import { type AccountsService, createAccountsService } from '../accounts/accounts-service.ts';
import type { DialectKind } from '../db/database-target.ts';
import { createIndexSetService, type IndexSetService } from './index-set-service.ts';
import { migrateMetadata } from './migrate-metadata.ts';

export interface MetadataServices {
  accounts: AccountsService;
  indexSets: IndexSetService;
  /** Runs accounts then catalog migrations; call once at start before anything else. */
  migrate(): Promise<void>;
}

/**
 * The metadata layer in one call, for src/main: accounts and the index-set catalog on the same
 * database as the log store (`createKysely(databaseTargetFromConfig(config))`).
 */
export function createMetadataServices(db: Kysely<unknown>, dialect: DialectKind, options: { clock?: () => Date } = {}): MetadataServices {
  return {
    accounts: createAccountsService(db, dialect, options),
    indexSets: createIndexSetService(db, dialect, options),
    migrate: () => migrateMetadata(db, dialect),
  };
}
