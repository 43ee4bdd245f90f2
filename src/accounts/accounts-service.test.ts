import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppError, isAppError } from '../shared/app-error.ts';
import { type AccountsService, createAccountsService } from './accounts-service.ts';
import { canAccessBiz, type Principal, requireAdmin, systemPrincipal } from './principal.ts';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from './testing/open-test-database.ts';

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!isAppError(err)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

/** Flips one character of the secret part, keeping the token well-formed. */
function forge(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

describe.each(TEST_DIALECTS)('AccountsService on %s', (dialect) => {
  let t: TestDatabase;
  let svc: AccountsService;
  let now = new Date('2026-05-01T12:00:00.000Z');
  const advance = (ms: number): void => {
    now = new Date(now.getTime() + ms);
  };

  beforeAll(async () => {
    t = await openTestDatabase(dialect);
    svc = createAccountsService(t.db, dialect, { clock: () => now });
    await svc.migrate();
  });
  afterAll(async () => t.close());

  describe('first start', () => {
    it('creates an admin with a one-time login token on an empty database', async () => {
      const first = await svc.bootstrapAdmin();
      expect(first.created).toBe(true);
      expect(first.user?.role).toBe('admin');
      expect(first.loginToken).toMatch(/^lsl_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);

      // Restarted before anyone logged in: no second admin, but a fresh link.
      const again = await svc.bootstrapAdmin();
      expect(again.created).toBe(false);
      expect(again.loginToken).toBeDefined();
      expect(again.loginToken).not.toBe(first.loginToken);
      expect((await svc.listUsers()).length).toBe(1);

      const exchanged = await svc.exchangeLoginToken(first.loginToken ?? '');
      expect(exchanged.principal).toMatchObject({ username: 'admin', role: 'admin' });
      expect(exchanged.token).toMatch(/^lsk_/);
      expect(await svc.authenticate(exchanged.token)).toMatchObject({ username: 'admin', role: 'admin' });

      // Someone has logged in: later starts print nothing.
      expect(await svc.bootstrapAdmin()).toEqual({ created: false });
    });

    it('spends a login token once and refuses it after an hour', async () => {
      const admin = await svc.getUser('admin');
      const once = await svc.createLoginToken(admin.id);
      await svc.exchangeLoginToken(once);
      expect((await failure(svc.exchangeLoginToken(once))).message).toMatch(/already used/);

      const late = await svc.createLoginToken(admin.id);
      advance(3_600_001);
      const err = await failure(svc.exchangeLoginToken(late));
      expect(err.code).toBe('BAD_TOKEN');
      expect(err.message).toMatch(/expired/);

      const racing = await svc.createLoginToken(admin.id);
      const results = await Promise.allSettled([svc.exchangeLoginToken(racing), svc.exchangeLoginToken(racing)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('refuses a login token as a bearer token and a forged login token', async () => {
      const admin = await svc.getUser('admin');
      const login = await svc.createLoginToken(admin.id);
      expect((await failure(svc.authenticate(login))).code).toBe('BAD_TOKEN');
      expect((await failure(svc.exchangeLoginToken(forge(login)))).code).toBe('BAD_TOKEN');
      expect((await failure(svc.exchangeLoginToken('nonsense'))).code).toBe('BAD_TOKEN');
    });
  });

  describe('API tokens', () => {
    let userId: number;
    beforeAll(async () => {
      userId = (await svc.createUser({ username: 'dev' })).id;
    });

    it('stores only the SHA-256 of the token, never the token', async () => {
      const { token, info } = await svc.createToken(userId, { name: 'laptop' });
      const rows = await sql<{ token_hash: string; lookup_id: string }>`select token_hash, lookup_id from api_tokens where id = ${info.id}`.execute(t.db);
      const stored = rows.rows[0];
      expect(stored?.token_hash).not.toContain(token);
      expect(stored?.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(token.startsWith(`lsk_${stored?.lookup_id}_`)).toBe(true);
      const dump = JSON.stringify((await sql`select * from api_tokens`.execute(t.db)).rows);
      expect(dump).not.toContain(token.split('_').slice(2).join('_'));
      expect(info.prefix).toBe(`lsk_${stored?.lookup_id}`);
    });

    it('authenticates to a principal with the user memberships', async () => {
      await svc.createBusiness({ bkBizId: 100, name: 'Payments' });
      await svc.createBusiness({ bkBizId: 50, name: 'Search' });
      await svc.addMembership(userId, 100);
      await svc.addMembership(userId, 50);
      await svc.addMembership(userId, 50);
      const { token, info } = await svc.createToken(userId, { name: 'ci' });
      const p = await svc.authenticate(token);
      expect(p).toEqual({ userId, username: 'dev', role: 'user', bizIds: [50, 100] });
      expect(await svc.authenticate(`Bearer ${token}`)).toEqual(p);
      expect((await svc.listTokens(userId)).find((x) => x.id === info.id)?.lastUsedAt).toBe(now.toISOString());
    });

    it('fails a forged, malformed, unknown or missing token', async () => {
      const { token } = await svc.createToken(userId, { name: 'real' });
      const forged = await failure(svc.authenticate(forge(token)));
      expect(forged.code).toBe('BAD_TOKEN');
      expect(forged.httpStatus).toBe(401);
      expect((await failure(svc.authenticate('lsk_ffffffffffff_' + 'A'.repeat(43)))).code).toBe('BAD_TOKEN');
      expect((await failure(svc.authenticate("' OR 1=1 --"))).code).toBe('BAD_TOKEN');
      expect((await failure(svc.authenticate(undefined))).code).toBe('UNAUTHENTICATED');
      expect((await failure(svc.authenticate('   '))).code).toBe('UNAUTHENTICATED');
    });

    it('fails a revoked token, and only its owner may revoke it', async () => {
      const { token, info } = await svc.createToken(userId, { name: 'old' });
      const other = await svc.createUser({ username: 'eve' });
      expect((await failure(svc.revokeToken(info.id, other.id))).code).toBe('NOT_FOUND');
      await svc.authenticate(token);
      expect((await svc.revokeToken(info.id, userId)).revoked).toBe(true);
      const err = await failure(svc.authenticate(token));
      expect(err.code).toBe('BAD_TOKEN');
      expect(err.message).toMatch(/revoked/);
    });

    it('fails an expired token', async () => {
      const { token } = await svc.createToken(userId, { name: 'short', expiresAt: new Date(now.getTime() + 60_000) });
      await svc.authenticate(token);
      advance(60_000);
      const err = await failure(svc.authenticate(token));
      expect(err.code).toBe('BAD_TOKEN');
      expect(err.message).toMatch(/expired/);
      expect((await failure(svc.createToken(userId, { name: 'past', expiresAt: new Date(now.getTime() - 1) }))).code).toBe('VALIDATION_FAILED');
    });

    it('fails every token of a disabled user until re-enabled', async () => {
      const { token } = await svc.createToken(userId, { name: 'while-disabled' });
      await svc.setUserDisabled(userId, true);
      expect((await failure(svc.authenticate(token))).message).toMatch(/disabled/);
      await svc.setUserDisabled(userId, false);
      expect((await svc.authenticate(token)).username).toBe('dev');
    });
  });

  describe('users and businesses', () => {
    it('validates input and reports duplicates', async () => {
      expect((await failure(svc.createUser({ username: 'bad name' }))).code).toBe('VALIDATION_FAILED');
      expect((await failure(svc.createUser({ username: 'x', role: 'root' as 'user' }))).code).toBe('VALIDATION_FAILED');
      expect((await failure(svc.createUser({ username: 'dev' }))).code).toBe('ALREADY_EXISTS');
      expect((await failure(svc.createBusiness({ bkBizId: 100, name: 'Again' }))).code).toBe('ALREADY_EXISTS');
      expect((await failure(svc.createBusiness({ bkBizId: 1.5, name: 'Frac' }))).code).toBe('VALIDATION_FAILED');
      expect((await failure(svc.createBusiness({ bkBizId: 3, name: '  ' }))).code).toBe('VALIDATION_FAILED');
      expect((await failure(svc.addMembership(999_999, 100))).code).toBe('NOT_FOUND');
      expect((await failure(svc.addMembership((await svc.getUser('dev')).id, 424242))).code).toBe('NOT_FOUND');
    });

    it('lists every business to an admin and only member businesses to a user', async () => {
      const dev = await svc.authenticate((await svc.createToken((await svc.getUser('dev')).id, { name: 'list' })).token);
      await svc.createBusiness({ bkBizId: 7, name: 'Unrelated' });
      expect((await svc.listBusinesses(dev)).map((b) => b.bkBizId)).toEqual([50, 100]);
      expect((await svc.listBusinesses(systemPrincipal())).map((b) => b.bkBizId)).toEqual([7, 50, 100]);
      expect((await svc.listMembers(100)).map((u) => u.username)).toEqual(['dev']);
      expect(await svc.removeMembership(dev.userId, 100)).toBe(true);
      expect((await svc.authenticate((await svc.createToken(dev.userId, { name: 'after' })).token)).bizIds).toEqual([50]);
    });
  });
});

describe('access rules', () => {
  const user: Principal = { userId: 1, username: 'u', role: 'user', bizIds: [2, 3] };
  const admin: Principal = { userId: 2, username: 'a', role: 'admin', bizIds: [] };

  it('lets a user reach only member businesses and an admin all', () => {
    expect(canAccessBiz(user, 2)).toBe(true);
    expect(canAccessBiz(user, 4)).toBe(false);
    expect(canAccessBiz(admin, 4)).toBe(true);
  });

  it('requireAdmin throws FORBIDDEN for users', () => {
    expect(() => requireAdmin(user)).toThrow(expect.objectContaining({ code: 'FORBIDDEN', httpStatus: 403 }) as Error);
    expect(() => requireAdmin(admin)).not.toThrow();
  });
});
