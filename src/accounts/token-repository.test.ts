import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../db/run-migrations.ts';
import { ACCOUNTS_MIGRATIONS } from './accounts-migrations.ts';
import type { AccountsTables } from './accounts-tables.ts';
import { isConstraintViolation } from './db-errors.ts';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from './testing/open-test-database.ts';
import { TokenRepository } from './token-repository.ts';
import { UserRepository } from './user-repository.ts';

const AT = '2026-03-01T00:00:00.000Z';
const HASH = 'ab'.repeat(32);

describe.each(TEST_DIALECTS)('TokenRepository on %s', (dialect) => {
  let t: TestDatabase;
  let repo: TokenRepository;
  let userId: number;
  beforeAll(async () => {
    t = await openTestDatabase(dialect);
    await runMigrations(t.db, dialect, 'accounts', ACCOUNTS_MIGRATIONS);
    repo = new TokenRepository(t.db as Kysely<AccountsTables>);
    userId = (await new UserRepository(t.db as Kysely<AccountsTables>).insert({ username: 'tok', role: 'admin', createdAt: AT })).id;
  });
  afterAll(async () => t.close());

  it('stores an API token and finds it with its owner by lookup id', async () => {
    const info = await repo.insertApi({ userId, name: 'ci', lookupId: '0123456789ab', hash: HASH, createdAt: AT, expiresAt: null });
    expect(info).toEqual({
      id: info.id, userId, name: 'ci', prefix: 'lsk_0123456789ab', createdAt: AT, expiresAt: null, lastUsedAt: null, revoked: false,
    });
    const found = await repo.findApiByLookup('0123456789ab');
    expect(found?.hash).toBe(HASH);
    expect(found?.user).toEqual({ id: userId, username: 'tok', role: 'admin', disabled: false });
    expect(await repo.findApiByLookup('ffffffffffff')).toBeUndefined();
    expect(await repo.countApi(userId)).toBe(1);
  });

  it('refuses a duplicate lookup id', async () => {
    const err = await repo.insertApi({ userId, name: 'dup', lookupId: '0123456789ab', hash: HASH, createdAt: AT, expiresAt: null }).catch((e: unknown) => e);
    expect(isConstraintViolation(err, 'unique')).toBe(true);
  });

  it('revokes once and touches last_used_at only when stale', async () => {
    const info = await repo.insertApi({ userId, name: 'r', lookupId: 'aaaaaaaaaaaa', hash: HASH, createdAt: AT, expiresAt: '2027-01-01T00:00:00.000Z' });
    await repo.touchApi(info.id, '2026-03-01T10:00:00.000Z', '2026-03-01T09:59:00.000Z');
    await repo.touchApi(info.id, '2026-03-01T10:00:30.000Z', '2026-03-01T09:59:30.000Z');
    expect((await repo.findApi(info.id))?.lastUsedAt).toBe('2026-03-01T10:00:00.000Z');
    await repo.touchApi(info.id, '2026-03-01T10:02:00.000Z', '2026-03-01T10:01:00.000Z');
    expect((await repo.findApi(info.id))?.lastUsedAt).toBe('2026-03-01T10:02:00.000Z');
    expect(await repo.revokeApi(info.id, AT)).toBe(true);
    expect(await repo.revokeApi(info.id, AT)).toBe(false);
    expect((await repo.findApiByLookup('aaaaaaaaaaaa'))?.revokedAt).toBe(AT);
    expect((await repo.listApi(userId)).map((x) => [x.name, x.revoked])).toEqual([['ci', false], ['r', true]]);
  });

  it('consumes a login token exactly once', async () => {
    await repo.insertLogin({ userId, lookupId: 'bbbbbbbbbbbb', hash: HASH, createdAt: AT, expiresAt: '2026-03-01T01:00:00.000Z' });
    const row = await repo.findLoginByLookup('bbbbbbbbbbbb');
    expect(row).toEqual({ id: row?.id, userId, hash: HASH, expiresAt: '2026-03-01T01:00:00.000Z', usedAt: null });
    const results = await Promise.all([repo.consumeLogin(row?.id ?? -1, AT), repo.consumeLogin(row?.id ?? -1, AT)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await repo.findLoginByLookup('bbbbbbbbbbbb'))?.usedAt).toBe(AT);
  });
});
