import type { Kysely } from 'kysely';
import type { DialectKind } from '../db/database-target.ts';
import { runMigrations } from '../db/run-migrations.ts';
import { AppError } from '../shared/app-error.ts';
import { ACCOUNTS_MIGRATIONS } from './accounts-migrations.ts';
import type { AccountsTables } from './accounts-tables.ts';
import type { ApiTokenInfo, Business, User } from './account-types.ts';
import { BusinessRepository } from './business-repository.ts';
import { isConstraintViolation } from './db-errors.ts';
import type { Principal, Role } from './principal.ts';
import { ROLES } from './principal.ts';
import { TokenAuth } from './token-auth.ts';
import { TokenRepository } from './token-repository.ts';
import { UserRepository } from './user-repository.ts';

export interface AccountsOptions {
  /** Injected for tests of expiry; defaults to the wall clock. */
  clock?: () => Date;
}

/** What a new API token looks like; `token` is the only time the secret is visible. */
export interface CreatedToken {
  token: string;
  info: ApiTokenInfo;
}

export interface BootstrapResult {
  /** True when this call created the first admin. */
  created: boolean;
  /** The admin the login token is for, when one was issued. */
  user?: User;
  /** One-time login token (1 h): printed as a login URL on start, exchanged for an API token. */
  loginToken?: string;
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${field}: ${message}`, { details: { errors: [{ path: field, message }] } });
}

function cleanName(value: unknown, field: string, max: number): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '' || name.length > max) throw invalid(field, `must be 1–${max} characters`);
  return name;
}

/**
 * Users, businesses, memberships and tokens. Callers (HTTP, CLI) decide who may call what —
 * typically `requireAdmin(principal)` for everything but a user's own tokens.
 */
export class AccountsService {
  private readonly users: UserRepository;
  private readonly businesses: BusinessRepository;
  private readonly tokens: TokenRepository;
  private readonly auth: TokenAuth;
  private readonly clock: () => Date;

  constructor(
    private readonly db: Kysely<AccountsTables>,
    private readonly dialect: DialectKind,
    options: AccountsOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.users = new UserRepository(db);
    this.businesses = new BusinessRepository(db);
    this.tokens = new TokenRepository(db);
    this.auth = new TokenAuth(db, this.clock);
  }

  /** Creates or upgrades the accounts tables (idempotent, versioned). */
  async migrate(): Promise<void> {
    await runMigrations(this.db as Kysely<unknown>, this.dialect, 'accounts', ACCOUNTS_MIGRATIONS);
  }

  private now(): string {
    return this.clock().toISOString();
  }

  // ---- users

  async createUser(input: { username: string; role?: Role }): Promise<User> {
    const username = typeof input.username === 'string' ? input.username.trim() : '';
    if (!USERNAME.test(username)) throw invalid('username', 'must be 1–64 characters: letters, digits, . _ @ - (starting with a letter or digit)');
    const role = input.role ?? 'user';
    if (!ROLES.includes(role)) throw invalid('role', `must be one of ${ROLES.join(', ')}`);
    try {
      return await this.users.insert({ username, role, createdAt: this.now() });
    } catch (err) {
      if (isConstraintViolation(err, 'unique')) throw new AppError('ALREADY_EXISTS', `User "${username}" already exists`, { cause: err });
      throw err;
    }
  }

  async listUsers(): Promise<User[]> {
    return this.users.list();
  }

  /** By id or username; NOT_FOUND otherwise. */
  async getUser(idOrName: number | string): Promise<User> {
    const user = typeof idOrName === 'number' ? await this.users.findById(idOrName) : await this.users.findByUsername(idOrName);
    if (user === undefined) throw new AppError('NOT_FOUND', `User ${JSON.stringify(idOrName)} does not exist`);
    return user;
  }

  /** A disabled user's tokens stop working at once; enabling restores the unrevoked ones. */
  async setUserDisabled(userId: number, disabled: boolean): Promise<User> {
    if (!(await this.users.setDisabledAt(userId, disabled ? this.now() : null))) throw new AppError('NOT_FOUND', `User ${userId} does not exist`);
    return this.getUser(userId);
  }

  async setUserRole(userId: number, role: Role): Promise<User> {
    if (!ROLES.includes(role)) throw invalid('role', `must be one of ${ROLES.join(', ')}`);
    if (!(await this.users.setRole(userId, role))) throw new AppError('NOT_FOUND', `User ${userId} does not exist`);
    return this.getUser(userId);
  }

  // ---- businesses and membership

  async createBusiness(input: { bkBizId: number; name: string }): Promise<Business> {
    if (!Number.isInteger(input.bkBizId) || input.bkBizId < INT32.min || input.bkBizId > INT32.max) {
      throw invalid('bkBizId', 'must be a 32-bit integer');
    }
    const name = cleanName(input.name, 'name', 128);
    try {
      return await this.businesses.insert({ bkBizId: input.bkBizId, name, createdAt: this.now() });
    } catch (err) {
      if (isConstraintViolation(err, 'unique')) throw new AppError('ALREADY_EXISTS', `Business ${input.bkBizId} already exists`, { cause: err });
      throw err;
    }
  }

  /** Every business for an admin (or no principal: trusted caller); a user's own otherwise. */
  async listBusinesses(principal?: Principal): Promise<Business[]> {
    return this.businesses.list(principal === undefined || principal.role === 'admin' ? undefined : principal.bizIds);
  }

  async getBusiness(bkBizId: number): Promise<Business> {
    const biz = await this.businesses.find(bkBizId);
    if (biz === undefined) throw new AppError('NOT_FOUND', `Business ${bkBizId} does not exist`);
    return biz;
  }

  /** Idempotent; NOT_FOUND when the user or the business does not exist. */
  async addMembership(userId: number, bkBizId: number): Promise<void> {
    await this.getUser(userId);
    await this.getBusiness(bkBizId);
    await this.businesses.addMember(userId, bkBizId, this.now());
  }

  /** Returns false when there was no such membership. */
  async removeMembership(userId: number, bkBizId: number): Promise<boolean> {
    return this.businesses.removeMember(userId, bkBizId);
  }

  async listMemberships(userId: number): Promise<number[]> {
    return this.businesses.bizIdsOf(userId);
  }

  async listMembers(bkBizId: number): Promise<User[]> {
    return this.businesses.membersOf(bkBizId);
  }

  // ---- tokens

  /** Issues an API token for a user; `expiresAt` null (default) means it never expires. */
  async createToken(userId: number, input: { name: string; expiresAt?: Date | null }): Promise<CreatedToken> {
    const name = cleanName(input.name, 'name', 100);
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt !== null && !(expiresAt.getTime() > this.clock().getTime())) throw invalid('expiresAt', 'must be in the future');
    await this.getUser(userId);
    return this.auth.createApiToken(userId, name, expiresAt?.toISOString() ?? null);
  }

  async listTokens(userId: number): Promise<ApiTokenInfo[]> {
    return this.tokens.listApi(userId);
  }

  /**
   * Revokes a token. With `ownerId`, only that user's token is found (users revoke their own);
   * revoking an already revoked token is a no-op.
   */
  async revokeToken(tokenId: number, ownerId?: number): Promise<ApiTokenInfo> {
    const token = await this.tokens.findApi(tokenId);
    if (token === undefined || (ownerId !== undefined && token.userId !== ownerId)) {
      throw new AppError('NOT_FOUND', `Token ${tokenId} does not exist`);
    }
    await this.tokens.revokeApi(tokenId, this.now());
    return { ...token, revoked: true };
  }

  /** Bearer token → Principal; UNAUTHENTICATED when absent, BAD_TOKEN when not valid now. */
  async authenticate(bearerToken: string | undefined): Promise<Principal> {
    return this.auth.authenticate(bearerToken);
  }

  // ---- first start and login links

  /**
   * First start: when there is no user at all, creates `admin` (role admin) and returns a one-time
   * login token. Later starts return a fresh login token only while no admin has any API token
   * yet (the first link was never used), so a restart never locks the operator out.
   */
  async bootstrapAdmin(username = 'admin'): Promise<BootstrapResult> {
    if ((await this.users.count()) === 0) {
      let user: User;
      try {
        user = await this.users.insert({ username, role: 'admin', createdAt: this.now() });
      } catch (err) {
        // Another process bootstrapped at the same moment; it prints the link.
        if (isConstraintViolation(err, 'unique')) return { created: false };
        throw err;
      }
      return { created: true, user, loginToken: await this.auth.createLoginToken(user.id) };
    }
    const admins = (await this.users.list()).filter((u) => u.role === 'admin' && !u.disabled);
    for (const admin of admins) if ((await this.tokens.countApi(admin.id)) > 0) return { created: false };
    const first = admins[0];
    if (first === undefined) return { created: false };
    return { created: false, user: first, loginToken: await this.auth.createLoginToken(first.id) };
  }

  /** A one-time login token for an existing user (CLI recovery: "print me a login link"). */
  async createLoginToken(userId: number): Promise<string> {
    await this.getUser(userId);
    return this.auth.createLoginToken(userId);
  }

  /** Spends a one-time login token (once, within 1 h) and returns a new API token for its user. */
  async exchangeLoginToken(oneTime: string, options: { expiresInMs?: number } = {}): Promise<CreatedToken & { principal: Principal }> {
    return this.auth.exchangeLoginToken(oneTime, options.expiresInMs);
  }
}

/** Builds the accounts service on a Kysely instance (from `createKysely`); call `migrate()` once at start. */
export function createAccountsService(db: Kysely<unknown>, dialect: DialectKind, options?: AccountsOptions): AccountsService {
  return new AccountsService(db as unknown as Kysely<AccountsTables>, dialect, options);
}
