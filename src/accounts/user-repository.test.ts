import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../db/run-migrations.ts';
import { ACCOUNTS_MIGRATIONS } from './accounts-migrations.ts';
import type { AccountsTables } from './accounts-tables.ts';
import { isConstraintViolation } from './db-errors.ts';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from './testing/open-test-database.ts';
import { UserRepository } from './user-repository.ts';

describe.each(TEST_DIALECTS)('UserRepository on %s', (dialect) => {
  let t: TestDatabase;
  let repo: UserRepository;
  beforeAll(async () => {
    t = await openTestDatabase(dialect);
    await runMigrations(t.db, dialect, 'accounts', ACCOUNTS_MIGRATIONS);
    // A second run must be a no-op: migrations are versioned, not re-applied.
    await runMigrations(t.db, dialect, 'accounts', ACCOUNTS_MIGRATIONS);
    repo = new UserRepository(t.db as Kysely<AccountsTables>);
  });
  afterAll(async () => t.close());

  it('inserts users with increasing numeric ids and reads them back', async () => {
    const a = await repo.insert({ username: 'alice', role: 'user', createdAt: '2026-01-01T00:00:00.000Z' });
    const b = await repo.insert({ username: 'bob', role: 'admin', createdAt: '2026-01-02T00:00:00.000Z' });
    expect(typeof a.id).toBe('number');
    expect(b.id).toBeGreaterThan(a.id);
    expect(a).toEqual({ id: a.id, username: 'alice', role: 'user', createdAt: '2026-01-01T00:00:00.000Z', disabled: false });
    expect(await repo.findById(b.id)).toEqual(b);
    expect(await repo.findByUsername('alice')).toEqual(a);
    expect(await repo.findByUsername('nobody')).toBeUndefined();
    expect(await repo.findById(999_999)).toBeUndefined();
  });

  it('lists in id order and counts', async () => {
    const names = (await repo.list()).map((u) => u.username);
    expect(names.slice(0, 2)).toEqual(['alice', 'bob']);
    expect(await repo.count()).toBe(names.length);
  });

  it('rejects a duplicate username with a unique violation', async () => {
    const err = await repo.insert({ username: 'alice', role: 'user', createdAt: '2026-01-03T00:00:00.000Z' }).catch((e: unknown) => e);
    expect(isConstraintViolation(err, 'unique')).toBe(true);
  });

  it('rejects a role outside user|admin at the database level', async () => {
    const err = await repo.insert({ username: 'mallory', role: 'root' as 'user', createdAt: '2026-01-03T00:00:00.000Z' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(await repo.findByUsername('mallory')).toBeUndefined();
  });

  it('disables, re-enables and changes role', async () => {
    const u = await repo.insert({ username: 'carol', role: 'user', createdAt: '2026-01-04T00:00:00.000Z' });
    expect(await repo.setDisabledAt(u.id, '2026-01-05T00:00:00.000Z')).toBe(true);
    expect((await repo.findById(u.id))?.disabled).toBe(true);
    expect(await repo.setDisabledAt(u.id, null)).toBe(true);
    expect((await repo.findById(u.id))?.disabled).toBe(false);
    expect(await repo.setRole(u.id, 'admin')).toBe(true);
    expect((await repo.findById(u.id))?.role).toBe('admin');
    expect(await repo.setDisabledAt(999_999, null)).toBe(false);
  });
});
