import { AppError } from '../shared/app-error.ts';

export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is acting: produced by `authenticate` from a bearer token (HTTP) or by `systemPrincipal`
 * (CLI on the local data dir, workers). `bizIds` are the businesses the user is a member of;
 * admins may access every business whatever this list says.
 */
export interface Principal {
  userId: number;
  username: string;
  role: Role;
  bizIds: number[];
}

/** True when the principal may see and change data of business `bizId`. */
export function canAccessBiz(principal: Principal, bizId: number): boolean {
  return principal.role === 'admin' || principal.bizIds.includes(bizId);
}

/** Throws FORBIDDEN unless the principal is an admin (user and business management). */
export function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw new AppError('FORBIDDEN', 'This action needs the admin role');
}

/**
 * The in-process identity for trusted callers: CLI commands run against the local store and job
 * handlers re-checking data they already own. Never hand it to a network caller.
 */
export function systemPrincipal(): Principal {
  return { userId: 0, username: 'system', role: 'admin', bizIds: [] };
}
