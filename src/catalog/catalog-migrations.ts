import { type Kysely, sql } from 'kysely';
import { ID_COLUMN } from '../accounts/accounts-migrations.ts';
import type { DialectKind } from '../db/database-target.ts';
import type { VersionedMigration } from '../db/run-migrations.ts';

const initial: VersionedMigration = {
  async up(db: Kysely<unknown>, dialect: DialectKind) {
    const [idType, id] = ID_COLUMN[dialect];
    await db.schema.createTable('index_sets')
      .addColumn('id', idType, id)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('bk_biz_id', 'integer', (c) => c.notNull().references('businesses.bk_biz_id'))
      .addColumn('time_field', 'text', (c) => c.notNull())
      .addColumn('message_field', 'text', (c) => c.notNull())
      .addColumn('fields', 'text', (c) => c.notNull())
      .addColumn('sort_fields', 'text', (c) => c.notNull())
      .addColumn('retention_days', 'integer', (c) => c.notNull())
      .addColumn('desensitize_rules', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    // Names are unique per business among live index sets; a deleted name can be reused.
    await db.schema.createIndex('index_sets_biz_name').on('index_sets').columns(['bk_biz_id', 'name']).unique()
      .where(sql.ref('deleted_at'), 'is', null).execute();
  },
};

/** Versioned migrations of the `catalog` component; run after the accounts migrations (foreign key to businesses). */
export const CATALOG_MIGRATIONS: Record<string, VersionedMigration> = { '0001_initial': initial };
