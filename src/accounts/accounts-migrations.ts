import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import type { DialectKind } from '../db/database-target.ts';
import type { VersionedMigration } from '../db/run-migrations.ts';

type IdColumn = [type: 'integer' | 'serial', build: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder];

/** An auto-numbered integer key: SQLite's rowid alias, PostgreSQL's serial (int4, read back as a number). */
export const ID_COLUMN: Record<DialectKind, IdColumn> = {
  sqlite: ['integer', (c) => c.primaryKey().autoIncrement()],
  postgres: ['serial', (c) => c.primaryKey()],
};

const initial: VersionedMigration = {
  async up(db: Kysely<unknown>, dialect: DialectKind) {
    const [idType, id] = ID_COLUMN[dialect];
    await db.schema.createTable('users')
      .addColumn('id', idType, id)
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('user', 'admin')`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('disabled_at', 'text')
      .execute();
    await db.schema.createTable('businesses')
      .addColumn('bk_biz_id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('business_members')
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('bk_biz_id', 'integer', (c) => c.notNull().references('businesses.bk_biz_id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('business_members_pk', ['user_id', 'bk_biz_id'])
      .execute();
    // Listing a business's members reads by bk_biz_id; the primary key serves the user side.
    await db.schema.createIndex('business_members_biz').on('business_members').column('bk_biz_id').execute();
    for (const table of ['api_tokens', 'login_tokens'] as const) {
      let t = db.schema.createTable(table)
        .addColumn('id', idType, id)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('lookup_id', 'text', (c) => c.notNull().unique())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull());
      t = table === 'api_tokens'
        ? t.addColumn('name', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('last_used_at', 'text')
          .addColumn('revoked_at', 'text')
        : t.addColumn('expires_at', 'text', (c) => c.notNull()).addColumn('used_at', 'text');
      await t.execute();
      await db.schema.createIndex(`${table}_user`).on(table).column('user_id').execute();
    }
  },
};

/** Versioned migrations of the `accounts` component (run with `runMigrations(db, dialect, 'accounts', …)`). */
export const ACCOUNTS_MIGRATIONS: Record<string, VersionedMigration> = { '0001_initial': initial };
