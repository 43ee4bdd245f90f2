import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../shared/app-error.ts';

/** What a download link grants: one user, one task, until a time. */
export interface DownloadTokenPayload {
  taskId: number;
  userId: string;
  /** Epoch milliseconds after which the token is refused. */
  expiresAt: number;
}

/** Shorter secrets are a configuration error: HMAC-SHA256 keys below 128 bits are guessable offline. */
export const MIN_SECRET_BYTES = 16;
// Binds signatures to this use, so an HMAC of the same secret made for something else never verifies here.
const CONTEXT = 'logsift.download.v1.';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function checkSecret(secret: string | Buffer): void {
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    throw new AppError('BAD_CONFIG', `the download token secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
}

function sign(body: string, secret: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(CONTEXT).update(body).digest();
}

function badToken(reason: string): AppError {
  // The reason is for logs and tests; clients see one code whatever went wrong.
  return new AppError('BAD_TOKEN', 'The download link is not valid or has expired', { details: { reason } });
}

function isPayload(value: unknown): value is DownloadTokenPayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(v.taskId) &&
    typeof v.userId === 'string' &&
    v.userId.length > 0 &&
    typeof v.expiresAt === 'number' &&
    Number.isFinite(v.expiresAt)
  );
}

/**
 * Signs a download token: `base64url(JSON payload) "." base64url(HMAC-SHA256(secret, context + payload))`.
 * URL-safe as is. Not encrypted: the payload (task id, user id, expiry) is readable, only unforgeable.
 */
export function signDownloadToken(payload: DownloadTokenPayload, secret: string | Buffer): string {
  checkSecret(secret);
  if (!isPayload(payload)) throw new AppError('VALIDATION_FAILED', 'download token payload is not valid');
  const body = Buffer.from(
    JSON.stringify({ taskId: payload.taskId, userId: payload.userId, expiresAt: payload.expiresAt }),
  ).toString('base64url');
  return `${body}.${sign(body, secret).toString('base64url')}`;
}

/**
 * Verifies a token and returns its payload. Every failure (malformed, forged or tampered, expired at
 * or before `now`) is AppError BAD_TOKEN, with `details.reason` one of
 * `malformed` | `bad_signature` | `expired`. The signature is compared in constant time.
 * The caller still checks that `userId` is the requesting user and `taskId` the requested task.
 */
export function verifyDownloadToken(token: string, secret: string | Buffer, now: number = Date.now()): DownloadTokenPayload {
  checkSecret(secret);
  if (typeof token !== 'string' || token.length > 4096) throw badToken('malformed');
  const parts = token.split('.');
  const [body, signature] = parts;
  if (parts.length !== 2 || !body || !signature || !BASE64URL.test(body) || !BASE64URL.test(signature)) {
    throw badToken('malformed');
  }
  // Compare the canonical text, not decoded bytes: base64url has several spellings of the same bytes.
  const expected = Buffer.from(sign(body, secret).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw badToken('bad_signature');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw badToken('malformed');
  }
  if (!isPayload(payload)) throw badToken('malformed');
  if (now >= payload.expiresAt) throw badToken('expired');
  return { taskId: payload.taskId, userId: payload.userId, expiresAt: payload.expiresAt };
}
