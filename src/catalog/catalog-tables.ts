import type { Generated } from 'kysely';

/**
 * Index sets as stored. Field lists and rules are JSON text (same code path on SQLite and
 * PostgreSQL; they are always read whole). `deleted_at` marks a soft delete: the row stays so a
 * purge job can still find which log rows to remove.
 */
export interface IndexSetsTable {
  id: Generated<number>;
  name: string;
  bk_biz_id: number;
  time_field: string;
  message_field: string;
  fields: string;
  sort_fields: string;
  retention_days: number;
  desensitize_rules: string;
  created_at: string;
  created_by: string;
  deleted_at: string | null;
}

/** Tables the catalog reads: its own and the accounts tables it checks against. */
export interface CatalogTables {
  index_sets: IndexSetsTable;
  businesses: { bk_biz_id: number; name: string; created_at: string };
}
