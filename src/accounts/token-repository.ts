import type { Kysely, Selectable } from 'kysely';
import type { AccountsTables, ApiTokensTable } from './accounts-tables.ts';
import type { ApiTokenInfo } from './account-types.ts';
import type { Role } from './principal.ts';
import { TOKEN_KINDS } from './token-codec.ts';

function toInfo(row: Selectable<ApiTokensTable>): ApiTokenInfo {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: `${TOKEN_KINDS.api}_${row.lookup_id}`,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revoked: row.revoked_at !== null,
  };
}

/** A stored API token with its owner, as needed to authenticate a request. */
export interface ApiTokenWithOwner {
  info: ApiTokenInfo;
  hash: string;
  revokedAt: string | null;
  user: { id: number; username: string; role: Role; disabled: boolean };
}

export interface LoginTokenRow {
  id: number;
  userId: number;
  hash: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface NewToken {
  userId: number;
  lookupId: string;
  hash: string;
  createdAt: string;
}

/** API tokens and one-time login tokens. Only hashes are stored. */
export class TokenRepository {
  constructor(private readonly db: Kysely<AccountsTables>) {}

  async insertApi(t: NewToken & { name: string; expiresAt: string | null }): Promise<ApiTokenInfo> {
    const row = await this.db.insertInto('api_tokens')
      .values({
        user_id: t.userId, name: t.name, lookup_id: t.lookupId, token_hash: t.hash,
        created_at: t.createdAt, expires_at: t.expiresAt, last_used_at: null, revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toInfo(row);
  }

  async findApiByLookup(lookupId: string): Promise<ApiTokenWithOwner | undefined> {
    const row = await this.db.selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('api_tokens')
      .select(['users.username', 'users.role', 'users.disabled_at'])
      .where('api_tokens.lookup_id', '=', lookupId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      info: toInfo(row),
      hash: row.token_hash,
      revokedAt: row.revoked_at,
      user: { id: row.user_id, username: row.username, role: row.role as Role, disabled: row.disabled_at !== null },
    };
  }

  async findApi(id: number): Promise<ApiTokenInfo | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toInfo(row);
  }

  async listApi(userId: number): Promise<ApiTokenInfo[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id').execute();
    return rows.map(toInfo);
  }

  async countApi(userId: number): Promise<number> {
    const row = await this.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', userId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Marks a token revoked; false when it does not exist or already was. */
  async revokeApi(id: number, at: string): Promise<boolean> {
    const res = await this.db.updateTable('api_tokens').set({ revoked_at: at })
      .where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** Records use, at most once per `staleBefore` window, so authentication is not a write per request. */
  async touchApi(id: number, at: string, staleBefore: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
      .execute();
  }

  async insertLogin(t: NewToken & { expiresAt: string }): Promise<void> {
    await this.db.insertInto('login_tokens')
      .values({ user_id: t.userId, lookup_id: t.lookupId, token_hash: t.hash, created_at: t.createdAt, expires_at: t.expiresAt, used_at: null })
      .execute();
  }

  async findLoginByLookup(lookupId: string): Promise<LoginTokenRow | undefined> {
    const row = await this.db.selectFrom('login_tokens').selectAll().where('lookup_id', '=', lookupId).executeTakeFirst();
    return row === undefined
      ? undefined
      : { id: row.id, userId: row.user_id, hash: row.token_hash, expiresAt: row.expires_at, usedAt: row.used_at };
  }

  /** Marks a login token used; false if another request used it first (compare-and-set). */
  async consumeLogin(id: number, at: string): Promise<boolean> {
    const res = await this.db.updateTable('login_tokens').set({ used_at: at })
      .where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }
}
