import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConstraintViolation } from '../accounts/db-errors.ts';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../accounts/testing/open-test-database.ts';
import type { CatalogTables } from './catalog-tables.ts';
import { IndexSetRepository } from './index-set-repository.ts';
import { migrateMetadata } from './migrate-metadata.ts';
import type { ValidIndexSet } from './validate-index-set.ts';

const AT = '2026-04-01T00:00:00.000Z';
const META = { createdAt: AT, createdBy: 'alice' };

function def(name: string, bkBizId: number): ValidIndexSet {
  return {
    name, bkBizId, timeField: 'dtEventTimeStamp', messageField: 'log',
    fields: [{ name: 'level', type: 'keyword' }, { name: 'latency', type: 'double', description: 'ms' }],
    sortFields: ['dtEventTimeStamp', 'level'], retentionDays: 14,
    desensitizeRules: [{ field: 'log', pattern: '\\d{4}', replacement: '****' }],
  };
}

describe.each(TEST_DIALECTS)('IndexSetRepository on %s', (dialect) => {
  let t: TestDatabase;
  let repo: IndexSetRepository;
  beforeAll(async () => {
    t = await openTestDatabase(dialect);
    await migrateMetadata(t.db, dialect);
    await migrateMetadata(t.db, dialect);
    const db = t.db as Kysely<CatalogTables>;
    for (const id of [1, 2]) await db.insertInto('businesses').values({ bk_biz_id: id, name: `b${id}`, created_at: AT }).execute();
    repo = new IndexSetRepository(db);
  });
  afterAll(async () => t.close());

  it('round-trips every attribute, JSON lists included', async () => {
    const created = await repo.insert(def('web', 1), META);
    expect(created).toEqual({ id: created.id, ...def('web', 1), createdAt: AT, createdBy: 'alice' });
    expect(typeof created.id).toBe('number');
    expect(await repo.findLive(created.id)).toEqual(created);
    expect(await repo.findLive(987_654)).toBeUndefined();
  });

  it('lists live index sets in id order, filtered by business', async () => {
    const a = await repo.insert(def('api', 2), META);
    const b = await repo.insert(def('db', 1), META);
    expect((await repo.listLive()).map((x) => x.name)).toEqual(['web', 'api', 'db']);
    expect((await repo.listLive({ bizIds: [1] })).map((x) => x.name)).toEqual(['web', 'db']);
    expect((await repo.listLive({ bizIds: [] }))).toEqual([]);
    expect(b.id).toBeGreaterThan(a.id);
  });

  it('keeps names unique per business among live index sets only', async () => {
    const dup = await repo.insert(def('web', 1), META).catch((e: unknown) => e);
    expect(isConstraintViolation(dup, 'unique')).toBe(true);
    const other = await repo.insert(def('web', 2), META);
    expect(other.bkBizId).toBe(2);
  });

  it('soft-deletes once, hides the row, lets the name be reused and purges only deleted rows', async () => {
    const victim = (await repo.listLive({ bizIds: [2] })).find((x) => x.name === 'api');
    if (victim === undefined) throw new Error('fixture missing');
    expect(await repo.purge(victim.id)).toBe(false);
    expect(await repo.softDelete(victim.id, AT)).toBe(true);
    expect(await repo.softDelete(victim.id, AT)).toBe(false);
    expect(await repo.findLive(victim.id)).toBeUndefined();
    expect((await repo.listLive()).some((x) => x.id === victim.id)).toBe(false);
    expect((await repo.listDeleted()).map((x) => [x.id, x.deletedAt])).toEqual([[victim.id, AT]]);
    const reborn = await repo.insert(def('api', 2), META);
    expect(reborn.id).not.toBe(victim.id);
    expect(await repo.purge(victim.id)).toBe(true);
    expect(await repo.listDeleted()).toEqual([]);
  });

  it('knows which businesses exist and refuses an index set of an unknown one', async () => {
    expect(await repo.businessExists(1)).toBe(true);
    expect(await repo.businessExists(3)).toBe(false);
    const err = await repo.insert(def('orphan', 3), META).catch((e: unknown) => e);
    expect(isConstraintViolation(err, 'foreignKey')).toBe(true);
  });
});
