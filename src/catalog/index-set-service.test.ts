import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountsService, createAccountsService } from '../accounts/accounts-service.ts';
import type { Principal } from '../accounts/principal.ts';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../accounts/testing/open-test-database.ts';
import { type AppError, isAppError } from '../shared/app-error.ts';
import { createIndexSetService, type IndexSetService } from './index-set-service.ts';
import { migrateMetadata } from './migrate-metadata.ts';

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!isAppError(err)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe.each(TEST_DIALECTS)('IndexSetService on %s', (dialect) => {
  let t: TestDatabase;
  let accounts: AccountsService;
  let catalog: IndexSetService;
  let admin: Principal;
  let payments: Principal;
  let outsider: Principal;

  async function principal(username: string, role: 'user' | 'admin', bizIds: number[]): Promise<Principal> {
    const user = await accounts.createUser({ username, role });
    for (const biz of bizIds) await accounts.addMembership(user.id, biz);
    return accounts.authenticate((await accounts.createToken(user.id, { name: 't' })).token);
  }

  beforeAll(async () => {
    t = await openTestDatabase(dialect);
    await migrateMetadata(t.db, dialect);
    accounts = createAccountsService(t.db, dialect);
    catalog = createIndexSetService(t.db, dialect, { clock: () => new Date('2026-06-01T00:00:00.000Z') });
    await accounts.createBusiness({ bkBizId: 10, name: 'payments' });
    await accounts.createBusiness({ bkBizId: 20, name: 'search' });
    admin = await principal('root', 'admin', []);
    payments = await principal('pat', 'user', [10]);
    outsider = await principal('olga', 'user', [20]);
  });
  afterAll(async () => t.close());

  it('lets a member create an index set in their business, recording who and when', async () => {
    const set = await catalog.create(payments, { name: 'gateway', bkBizId: 10, fields: [{ name: 'level', type: 'keyword' }] });
    expect(set).toMatchObject({ name: 'gateway', bkBizId: 10, createdBy: 'pat', createdAt: '2026-06-01T00:00:00.000Z', sortFields: ['dtEventTimeStamp'] });
    expect(await catalog.get(payments, set.id)).toEqual(set);
  });

  it('refuses creating in a business the user is not a member of, and in an unknown business', async () => {
    expect((await failure(catalog.create(outsider, { name: 'x', bkBizId: 10 }))).code).toBe('FORBIDDEN');
    const unknown = await failure(catalog.create(admin, { name: 'x', bkBizId: 99 }));
    expect(unknown.code).toBe('VALIDATION_FAILED');
    expect(unknown.details?.errors).toEqual([{ path: 'bkBizId', message: 'business 99 does not exist' }]);
  });

  it('reports validation problems before touching the database', async () => {
    const err = await failure(catalog.create(payments, { name: 'bad', bkBizId: 10, sortFields: ['nope'], fields: [{ name: 'a', type: 'keyword' }, { name: 'a', type: 'long' }] }));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect((err.details?.errors as Array<{ path: string }>).map((e) => e.path)).toEqual(['fields[1].name', 'sortFields[0]']);
    expect((await catalog.list(payments)).map((s) => s.name)).toEqual(['gateway']);
  });

  it('refuses a second live index set with the same name in a business', async () => {
    expect((await failure(catalog.create(payments, { name: 'gateway', bkBizId: 10 }))).code).toBe('ALREADY_EXISTS');
  });

  it('shows users only their businesses, admins everything', async () => {
    await catalog.create(outsider, { name: 'crawler', bkBizId: 20 });
    expect((await catalog.list(payments)).map((s) => s.name)).toEqual(['gateway']);
    expect((await catalog.list(outsider)).map((s) => s.name)).toEqual(['crawler']);
    expect((await catalog.list(admin)).map((s) => s.name)).toEqual(['gateway', 'crawler']);
    expect((await catalog.list(admin, { bkBizId: 20 })).map((s) => s.name)).toEqual(['crawler']);
    expect(await catalog.list(payments, { bkBizId: 20 })).toEqual([]);
  });

  it('answers 404 for an index set of another business, the same as for a missing one', async () => {
    const crawler = (await catalog.list(admin, { bkBizId: 20 }))[0];
    if (crawler === undefined) throw new Error('fixture missing');
    const hidden = await failure(catalog.get(payments, crawler.id));
    const missing = await failure(catalog.get(payments, 424_242));
    expect(hidden.code).toBe('INDEX_SET_NOT_FOUND');
    expect(hidden.httpStatus).toBe(404);
    expect(missing.code).toBe('INDEX_SET_NOT_FOUND');
    expect((await failure(catalog.get(payments, 2 ** 40))).code).toBe('INDEX_SET_NOT_FOUND');
    expect((await failure(catalog.delete(payments, crawler.id))).code).toBe('INDEX_SET_NOT_FOUND');
    expect((await catalog.get(admin, crawler.id)).name).toBe('crawler');
  });

  it('soft-deletes: gone from get and list, listed for purging, deleted once', async () => {
    const gateway = (await catalog.list(payments))[0];
    if (gateway === undefined) throw new Error('fixture missing');
    const deleted = await catalog.delete(payments, gateway.id);
    expect(deleted.id).toBe(gateway.id);
    expect((await failure(catalog.get(payments, gateway.id))).code).toBe('INDEX_SET_NOT_FOUND');
    expect((await failure(catalog.delete(admin, gateway.id))).code).toBe('INDEX_SET_NOT_FOUND');
    expect(await catalog.list(payments)).toEqual([]);
    expect((await catalog.listDeleted()).map((s) => s.id)).toEqual([gateway.id]);
    expect(await catalog.purge(gateway.id)).toBe(true);
    expect(await catalog.listDeleted()).toEqual([]);
  });
});
