import type { Role } from './principal.ts';

/** A person or robot that calls the API. */
export interface User {
  id: number;
  username: string;
  role: Role;
  createdAt: string;
  disabled: boolean;
}

/** bk-log's business (`bk_biz_id`): the unit of data ownership. Index sets belong to one. */
export interface Business {
  bkBizId: number;
  name: string;
  createdAt: string;
}

/** What is shown about an API token after creation; the secret itself is never readable again. */
export interface ApiTokenInfo {
  id: number;
  userId: number;
  name: string;
  /** Visible start of the token (`lsk_<lookup id>`), to tell tokens apart in lists. */
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revoked: boolean;
}
