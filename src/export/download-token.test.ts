import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import { signDownloadToken, verifyDownloadToken } from './download-token.ts';

const SECRET = 'a-test-secret-of-32-bytes-length!';
const NOW = Date.UTC(2026, 0, 1);
const payload = { taskId: 42, userId: 'alice', expiresAt: NOW + 600_000 };

function reasonOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    if (isAppError(err, 'BAD_TOKEN')) return err.details?.reason;
    throw err;
  }
  return 'accepted';
}

describe('download tokens', () => {
  it('round-trips a payload and is URL-safe', () => {
    const token = signDownloadToken(payload, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyDownloadToken(token, SECRET, NOW)).toEqual(payload);
  });

  it('carries the payload readable and the HMAC-SHA256 over it', () => {
    const token = signDownloadToken(payload, SECRET);
    const [body, sig] = token.split('.') as [string, string];
    expect(JSON.parse(Buffer.from(body, 'base64url').toString())).toEqual(payload);
    // Recomputed here from the documented construction: context + body.
    const expected = createHmac('sha256', SECRET).update(`logsift.download.v1.${body}`).digest('base64url');
    expect(sig).toBe(expected);
  });

  it('rejects a token signed with another secret (forged)', () => {
    const forged = signDownloadToken(payload, 'another-secret-also-long-enough');
    expect(reasonOf(() => verifyDownloadToken(forged, SECRET, NOW))).toBe('bad_signature');
  });

  it('rejects a tampered payload (other user, longer expiry) under the old signature', () => {
    const [, sig] = signDownloadToken(payload, SECRET).split('.');
    for (const changed of [{ ...payload, userId: 'mallory' }, { ...payload, expiresAt: NOW + 10 * 86_400_000 }, { ...payload, taskId: 43 }]) {
      const body = Buffer.from(JSON.stringify(changed)).toString('base64url');
      expect(reasonOf(() => verifyDownloadToken(`${body}.${sig}`, SECRET, NOW))).toBe('bad_signature');
    }
  });

  it('rejects a signature with any character changed', () => {
    const token = signDownloadToken(payload, SECRET);
    const [body, sig] = token.split('.') as [string, string];
    for (let i = 0; i < sig.length; i++) {
      const c = sig[i] === 'A' ? 'B' : 'A';
      const bad = `${body}.${sig.slice(0, i)}${c}${sig.slice(i + 1)}`;
      expect(reasonOf(() => verifyDownloadToken(bad, SECRET, NOW)), `position ${i}`).toBe('bad_signature');
    }
  });

  it('rejects an expired token, at and after the expiry instant', () => {
    const token = signDownloadToken(payload, SECRET);
    expect(verifyDownloadToken(token, SECRET, payload.expiresAt - 1)).toEqual(payload);
    expect(reasonOf(() => verifyDownloadToken(token, SECRET, payload.expiresAt))).toBe('expired');
    expect(reasonOf(() => verifyDownloadToken(token, SECRET, payload.expiresAt + 86_400_000))).toBe('expired');
  });

  it('rejects malformed tokens', () => {
    const token = signDownloadToken(payload, SECRET);
    const [body, sig] = token.split('.') as [string, string];
    const validlySignedJunk = (text: string): string => {
      const b = Buffer.from(text).toString('base64url');
      return `${b}.${createHmac('sha256', SECRET).update(`logsift.download.v1.${b}`).digest('base64url')}`;
    };
    const cases = [
      '',
      'abc',
      `${body}.`,
      `.${sig}`,
      `${body}.${sig}.x`,
      `${body}!.${sig}`,
      'x'.repeat(5000),
      validlySignedJunk('not json'),
      validlySignedJunk('{"taskId":"42","userId":"alice","expiresAt":1}'),
      validlySignedJunk('{"taskId":42,"userId":"","expiresAt":1}'),
      validlySignedJunk('null'),
    ];
    for (const bad of cases) expect(reasonOf(() => verifyDownloadToken(bad, SECRET, NOW)), bad.slice(0, 40)).toBe('malformed');
  });

  it('refuses short secrets as a configuration error', () => {
    expect(() => signDownloadToken(payload, 'short')).toThrow(expect.objectContaining({ code: 'BAD_CONFIG' }));
    expect(() => verifyDownloadToken('a.b', 'short', NOW)).toThrow(expect.objectContaining({ code: 'BAD_CONFIG' }));
  });
});
