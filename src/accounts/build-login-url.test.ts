import { describe, expect, it } from 'vitest';
import { buildLoginUrl } from './build-login-url.ts';

describe('buildLoginUrl', () => {
  it('appends /login with the token as a query parameter', () => {
    expect(buildLoginUrl('http://127.0.0.1:8080', 'lsl_abc_d-e')).toBe('http://127.0.0.1:8080/login?token=lsl_abc_d-e');
  });

  it('keeps a path prefix of the public URL and ignores a trailing slash', () => {
    expect(buildLoginUrl('https://example.com/logsift/', 'lsl_x')).toBe('https://example.com/logsift/login?token=lsl_x');
  });
});
