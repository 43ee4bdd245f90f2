import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../db/run-migrations.ts';
import { ACCOUNTS_MIGRATIONS } from './accounts-migrations.ts';
import type { AccountsTables } from './accounts-tables.ts';
import { BusinessRepository } from './business-repository.ts';
import { isConstraintViolation } from './db-errors.ts';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from './testing/open-test-database.ts';
import { UserRepository } from './user-repository.ts';

const AT = '2026-03-01T00:00:00.000Z';

describe.each(TEST_DIALECTS)('BusinessRepository on %s', (dialect) => {
  let t: TestDatabase;
  let repo: BusinessRepository;
  let users: UserRepository;
  beforeAll(async () => {
    t = await openTestDatabase(dialect);
    await runMigrations(t.db, dialect, 'accounts', ACCOUNTS_MIGRATIONS);
    repo = new BusinessRepository(t.db as Kysely<AccountsTables>);
    users = new UserRepository(t.db as Kysely<AccountsTables>);
  });
  afterAll(async () => t.close());

  it('stores businesses under their own bk_biz_id, negative space ids included', async () => {
    await repo.insert({ bkBizId: 2, name: 'Blue', createdAt: AT });
    await repo.insert({ bkBizId: -5, name: 'Space', createdAt: AT });
    await repo.insert({ bkBizId: 7, name: 'Green', createdAt: AT });
    expect(await repo.find(-5)).toEqual({ bkBizId: -5, name: 'Space', createdAt: AT });
    expect(await repo.find(3)).toBeUndefined();
    expect((await repo.list()).map((b) => b.bkBizId)).toEqual([-5, 2, 7]);
    expect((await repo.list([7, 2, 99])).map((b) => b.bkBizId)).toEqual([2, 7]);
    expect(await repo.list([])).toEqual([]);
  });

  it('rejects a second business with the same id', async () => {
    const err = await repo.insert({ bkBizId: 2, name: 'Again', createdAt: AT }).catch((e: unknown) => e);
    expect(isConstraintViolation(err, 'unique')).toBe(true);
  });

  it('adds memberships idempotently, lists both sides, removes', async () => {
    const u = await users.insert({ username: 'member', role: 'user', createdAt: AT });
    const other = await users.insert({ username: 'other', role: 'user', createdAt: AT });
    await repo.addMember(u.id, 7, AT);
    await repo.addMember(u.id, 2, AT);
    await repo.addMember(u.id, 7, AT);
    await repo.addMember(other.id, 7, AT);
    expect(await repo.bizIdsOf(u.id)).toEqual([2, 7]);
    expect((await repo.membersOf(7)).map((x) => x.username)).toEqual(['member', 'other']);
    expect(await repo.removeMember(u.id, 7)).toBe(true);
    expect(await repo.removeMember(u.id, 7)).toBe(false);
    expect(await repo.bizIdsOf(u.id)).toEqual([2]);
    expect(await repo.bizIdsOf(other.id)).toEqual([7]);
  });

  it('refuses a membership in a business that does not exist', async () => {
    const u = await users.insert({ username: 'lost', role: 'user', createdAt: AT });
    const err = await repo.addMember(u.id, 12345, AT).catch((e: unknown) => e);
    expect(isConstraintViolation(err, 'foreignKey')).toBe(true);
    expect(await repo.bizIdsOf(u.id)).toEqual([]);
  });
});
