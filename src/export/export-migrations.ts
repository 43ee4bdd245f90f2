import type { Kysely } from 'kysely';
import { ID_COLUMN } from '../accounts/accounts-migrations.ts';
import type { DialectKind } from '../db/database-target.ts';
import type { VersionedMigration } from '../db/run-migrations.ts';

const initial: VersionedMigration = {
  async up(db: Kysely<unknown>, dialect: DialectKind) {
    const [idType, id] = ID_COLUMN[dialect];
    await db.schema.createTable('export_task')
      .addColumn('id', idType, id)
      .addColumn('request_param', 'text', (c) => c.notNull())
      .addColumn('sorted_param', 'text', (c) => c.notNull())
      .addColumn('scenario_id', 'text')
      .addColumn('index_set_id', 'integer')
      .addColumn('index_set_ids', 'text', (c) => c.notNull())
      .addColumn('index_set_type', 'text', (c) => c.notNull())
      .addColumn('export_type', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('failed_reason', 'text')
      .addColumn('file_name', 'text')
      .addColumn('file_size_bytes', 'bigint')
      .addColumn('object_key', 'text')
      .addColumn('download_url', 'text')
      .addColumn('is_clean', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .addColumn('export_total_count', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('exported_count', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('download_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('bk_biz_id', 'integer', (c) => c.notNull())
      .addColumn('is_desensitize', 'integer', (c) => c.notNull())
      .addColumn('raw', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('fields', 'text', (c) => c.notNull())
      .addColumn('quick', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('start_time', 'bigint', (c) => c.notNull())
      .addColumn('end_time', 'bigint', (c) => c.notNull())
      .addColumn('warnings', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('checkpoint', 'text')
      .addColumn('max_id', 'text', (c) => c.notNull())
      .addColumn('job_id', 'text')
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('notify_error', 'text')
      .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
      .execute();
    // bk-log's export_task_user_run_idx: the running-limit count.
    await db.schema.createIndex('export_task_user_run_idx').on('export_task').columns(['created_by', 'export_type', 'status']).execute();
    await db.schema.createIndex('export_task_biz_created_idx').on('export_task').columns(['bk_biz_id', 'created_at']).execute();
    await db.schema.createTable('export_user_lock')
      .addColumn('created_by', 'text', (c) => c.primaryKey())
      .addColumn('creates', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};

/** Versioned migrations of the `export` component. */
export const EXPORT_MIGRATIONS: Record<string, VersionedMigration> = { '0001_initial': initial };
