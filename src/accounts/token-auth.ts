import type { Kysely } from 'kysely';
import { AppError } from '../shared/app-error.ts';
import type { AccountsTables } from './accounts-tables.ts';
import type { ApiTokenInfo } from './account-types.ts';
import { BusinessRepository } from './business-repository.ts';
import type { Principal } from './principal.ts';
import { issueToken, parseToken, tokenMatches } from './token-codec.ts';
import { TokenRepository } from './token-repository.ts';
import { UserRepository } from './user-repository.ts';

/** One-time login tokens live one hour (the link printed on first start). */
export const LOGIN_TOKEN_TTL_MS = 3_600_000;
/** API tokens made by a login exchange live 30 days unless asked otherwise. */
export const LOGIN_API_TOKEN_TTL_MS = 30 * 86_400_000;
/** `last_used_at` is refreshed at most this often per token. */
const TOUCH_EVERY_MS = 60_000;

const badToken = (message: string): AppError => new AppError('BAD_TOKEN', message);

/**
 * Issuing and checking tokens. Until the presented secret matches the stored hash every failure
 * says the same thing, so probing reveals nothing; after a match the reason (revoked, expired,
 * disabled) is told to the holder.
 */
export class TokenAuth {
  private readonly tokens: TokenRepository;
  private readonly users: UserRepository;
  private readonly businesses: BusinessRepository;

  constructor(
    private readonly db: Kysely<AccountsTables>,
    private readonly clock: () => Date,
  ) {
    this.tokens = new TokenRepository(db);
    this.users = new UserRepository(db);
    this.businesses = new BusinessRepository(db);
  }

  async createApiToken(userId: number, name: string, expiresAt: string | null, db = this.db): Promise<{ token: string; info: ApiTokenInfo }> {
    const issued = issueToken('api');
    const info = await new TokenRepository(db).insertApi({
      userId, name, lookupId: issued.lookupId, hash: issued.hash, createdAt: this.clock().toISOString(), expiresAt,
    });
    return { token: issued.token, info };
  }

  async createLoginToken(userId: number): Promise<string> {
    const issued = issueToken('login');
    const now = this.clock();
    await this.tokens.insertLogin({
      userId, lookupId: issued.lookupId, hash: issued.hash,
      createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + LOGIN_TOKEN_TTL_MS).toISOString(),
    });
    return issued.token;
  }

  async authenticate(bearer: string | undefined): Promise<Principal> {
    const token = bearer?.trim().replace(/^Bearer\s+/i, '') ?? '';
    if (token === '') throw new AppError('UNAUTHENTICATED', 'A bearer token is required');
    const lookupId = parseToken(token, 'api');
    if (lookupId === undefined) {
      if (parseToken(token, 'login') !== undefined) throw badToken('This is a one-time login token: open the login URL to exchange it for an API token');
      throw badToken('The token is malformed');
    }
    const found = await this.tokens.findApiByLookup(lookupId);
    if (found === undefined || !tokenMatches(token, found.hash)) throw badToken('The token is not valid');
    const now = this.clock();
    if (found.revokedAt !== null) throw badToken(`The token "${found.info.name}" was revoked`);
    if (found.info.expiresAt !== null && found.info.expiresAt <= now.toISOString()) {
      throw badToken(`The token "${found.info.name}" expired at ${found.info.expiresAt}`);
    }
    if (found.user.disabled) throw badToken(`The user "${found.user.username}" is disabled`);
    // Checked here first so a fresh token costs no write (SQLite has one writer for everything).
    const staleBefore = new Date(now.getTime() - TOUCH_EVERY_MS).toISOString();
    if (found.info.lastUsedAt === null || found.info.lastUsedAt < staleBefore) {
      await this.tokens.touchApi(found.info.id, now.toISOString(), staleBefore);
    }
    return {
      userId: found.user.id,
      username: found.user.username,
      role: found.user.role,
      bizIds: await this.businesses.bizIdsOf(found.user.id),
    };
  }

  async exchangeLoginToken(oneTime: string, expiresInMs = LOGIN_API_TOKEN_TTL_MS): Promise<{ token: string; info: ApiTokenInfo; principal: Principal }> {
    const lookupId = parseToken(oneTime.trim(), 'login');
    if (lookupId === undefined) throw badToken('The login token is malformed');
    const found = await this.tokens.findLoginByLookup(lookupId);
    if (found === undefined || !tokenMatches(oneTime.trim(), found.hash)) throw badToken('The login token is not valid');
    const now = this.clock();
    if (found.usedAt !== null) throw badToken('The login token was already used');
    if (found.expiresAt <= now.toISOString()) throw badToken('The login token expired; restart the server or run `logsift login-url` for a new one');
    const user = await this.users.findById(found.userId);
    if (user === undefined || user.disabled) throw badToken('The user of this login token is disabled');
    const created = await this.db.transaction().execute(async (trx) => {
      // Compare-and-set inside the transaction: of two concurrent exchanges exactly one wins.
      if (!(await new TokenRepository(trx).consumeLogin(found.id, now.toISOString()))) return undefined;
      const expiresAt = new Date(now.getTime() + expiresInMs).toISOString();
      return this.createApiToken(user.id, `login ${now.toISOString().slice(0, 16).replace('T', ' ')}`, expiresAt, trx);
    });
    if (created === undefined) throw badToken('The login token was already used');
    const principal: Principal = { userId: user.id, username: user.username, role: user.role, bizIds: await this.businesses.bizIdsOf(user.id) };
    return { ...created, principal };
  }
}
