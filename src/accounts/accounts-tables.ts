import type { Generated } from 'kysely';

/**
 * Row shapes of the accounts tables. Timestamps are ISO-8601 UTC strings (`toISOString()`, fixed
 * width, so they compare correctly as text) and flags are nullable `*_at` columns: one query code
 * path for SQLite and PostgreSQL, and each flag records when it was set.
 */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  role: string;
  created_at: string;
  disabled_at: string | null;
}

export interface BusinessesTable {
  bk_biz_id: number;
  name: string;
  created_at: string;
}

export interface BusinessMembersTable {
  user_id: number;
  bk_biz_id: number;
  created_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** Public random part of the token, used to find the row without scanning hashes. */
  lookup_id: string;
  /** SHA-256 (hex) of the whole token; the token itself is never stored. */
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface LoginTokensTable {
  id: Generated<number>;
  user_id: number;
  lookup_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AccountsTables {
  users: UsersTable;
  businesses: BusinessesTable;
  business_members: BusinessMembersTable;
  api_tokens: ApiTokensTable;
  login_tokens: LoginTokensTable;
}
