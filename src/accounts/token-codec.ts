import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Token kinds by their visible prefix: long-lived API tokens and one-time login tokens. */
export const TOKEN_KINDS = { api: 'lsk', login: 'lsl' } as const;
export type TokenKind = keyof typeof TOKEN_KINDS;

export interface IssuedToken {
  /** The full secret; shown to the user once and never stored. */
  token: string;
  lookupId: string;
  hash: string;
}

const LOOKUP_BYTES = 6;
const SECRET_BYTES = 32;
const SHAPE = /^(lsk|lsl)_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * `lsk_<12 hex lookup id>_<32 random bytes, base64url>`. The lookup id finds the row; only the
 * SHA-256 of the whole token is stored, so a leaked table does not leak usable tokens. A plain
 * hash (not a slow KDF) is enough because the secret has 256 bits of entropy.
 */
export function issueToken(kind: TokenKind): IssuedToken {
  const lookupId = randomBytes(LOOKUP_BYTES).toString('hex');
  const token = `${TOKEN_KINDS[kind]}_${lookupId}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { token, lookupId, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The lookup id of a well-formed token of `kind`, or undefined for anything else. */
export function parseToken(token: string, kind: TokenKind): string | undefined {
  const m = SHAPE.exec(token);
  return m?.[1] === TOKEN_KINDS[kind] ? m[2] : undefined;
}

/** Constant-time comparison of a presented token against a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
