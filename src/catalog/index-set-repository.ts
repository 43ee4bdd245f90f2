import type { Kysely, Selectable } from 'kysely';
import type { IndexSet } from '../store/index-set.ts';
import type { CatalogTables, IndexSetsTable } from './catalog-tables.ts';
import type { ValidIndexSet } from './validate-index-set.ts';

function toIndexSet(row: Selectable<IndexSetsTable>): IndexSet {
  return {
    id: row.id,
    name: row.name,
    bkBizId: row.bk_biz_id,
    timeField: row.time_field,
    messageField: row.message_field,
    fields: JSON.parse(row.fields) as IndexSet['fields'],
    sortFields: JSON.parse(row.sort_fields) as string[],
    retentionDays: row.retention_days,
    desensitizeRules: JSON.parse(row.desensitize_rules) as IndexSet['desensitizeRules'],
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/** Index-set rows; `live*` methods skip soft-deleted ones. */
export class IndexSetRepository {
  constructor(private readonly db: Kysely<CatalogTables>) {}

  async insert(def: ValidIndexSet, meta: { createdAt: string; createdBy: string }): Promise<IndexSet> {
    const row = await this.db.insertInto('index_sets')
      .values({
        name: def.name,
        bk_biz_id: def.bkBizId,
        time_field: def.timeField,
        message_field: def.messageField,
        fields: JSON.stringify(def.fields),
        sort_fields: JSON.stringify(def.sortFields),
        retention_days: def.retentionDays,
        desensitize_rules: JSON.stringify(def.desensitizeRules),
        created_at: meta.createdAt,
        created_by: meta.createdBy,
        deleted_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toIndexSet(row);
  }

  async findLive(id: number): Promise<IndexSet | undefined> {
    const row = await this.db.selectFrom('index_sets').selectAll()
      .where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    return row === undefined ? undefined : toIndexSet(row);
  }

  /** Live index sets in id order; `bizIds` limits to those businesses (an empty list matches none). */
  async listLive(filter: { bizIds?: readonly number[] } = {}): Promise<IndexSet[]> {
    if (filter.bizIds !== undefined && filter.bizIds.length === 0) return [];
    let q = this.db.selectFrom('index_sets').selectAll().where('deleted_at', 'is', null).orderBy('id');
    if (filter.bizIds !== undefined) q = q.where('bk_biz_id', 'in', [...filter.bizIds]);
    return (await q.execute()).map(toIndexSet);
  }

  /** Soft-deletes; false when it was missing or already deleted (so only one caller purges). */
  async softDelete(id: number, at: string): Promise<boolean> {
    const res = await this.db.updateTable('index_sets').set({ deleted_at: at })
      .where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** Soft-deleted index sets, with the time of deletion, oldest first. */
  async listDeleted(): Promise<Array<IndexSet & { deletedAt: string }>> {
    const rows = await this.db.selectFrom('index_sets').selectAll().where('deleted_at', 'is not', null).orderBy('id').execute();
    return rows.map((r) => ({ ...toIndexSet(r), deletedAt: r.deleted_at as string }));
  }

  /** Removes a soft-deleted row for good; a live index set is never purged. */
  async purge(id: number): Promise<boolean> {
    const res = await this.db.deleteFrom('index_sets').where('id', '=', id).where('deleted_at', 'is not', null).executeTakeFirst();
    return res.numDeletedRows > 0n;
  }

  async businessExists(bkBizId: number): Promise<boolean> {
    const row = await this.db.selectFrom('businesses').select('bk_biz_id').where('bk_biz_id', '=', bkBizId).executeTakeFirst();
    return row !== undefined;
  }
}
