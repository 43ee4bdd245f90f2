import { describe, expect, it } from 'vitest';
import { murmur3x86x128, signatureOf } from './signature.ts';

describe('MurmurHash3 x86_128', () => {
  it('passes SMHasher\'s verification (0xB3ECE62A)', () => {
    // SMHasher VerificationTest: hash keys 0..255 bytes long with seed 256-n, hash the concatenation
    const key = new Uint8Array(256);
    const hashes = new Uint8Array(256 * 16);
    for (let i = 0; i < 256; i++) {
      key[i] = i;
      const h = murmur3x86x128(key.subarray(0, i), 256 - i);
      for (let w = 0; w < 4; w++) for (let b = 0; b < 4; b++) hashes[i * 16 + w * 4 + b] = ((h[w] as number) >>> (8 * b)) & 0xff;
    }
    expect(murmur3x86x128(hashes, 0)[0]).toBe(0xb3ece62a);
  });

  it('hashes the empty input with seed 0 to zero', () => {
    expect(signatureOf('')).toBe('0'.repeat(32));
  });
});

describe('signatureOf', () => {
  it('is 32 lower-case hex digits and differs between templates', () => {
    const a = signatureOf('Received block #ID# of size #NUMBER#');
    const b = signatureOf('Received block #ID# of size #HEX#');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(b).not.toBe(a);
  });

  it('encodes lone surrogates as U+FFFD', () => {
    expect(signatureOf('x\uD800y')).toBe(signatureOf('x\uFFFDy'));
  });
});
