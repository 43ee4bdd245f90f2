import { describe, expect, it } from 'vitest';
import { ChunkBuffer } from './chunk-buffer.ts';

describe('ChunkBuffer', () => {
  it('measures UTF-8 sizes, keeps committed text and drops staged text', () => {
    const b = new ChunkBuffer(64);
    expect(b.stage('héllo')).toBe(6);
    b.commit();
    expect(b.stage('dropped')).toBe(7); // never committed
    expect(b.append('中🚀')).toBe(3 + 4);
    expect(b.take()?.toString('utf8')).toBe('héllo中🚀');
    expect(b.take()).toBeNull();
  });

  it('asks for a take before text that might not fit, and handles text larger than a chunk', () => {
    const b = new ChunkBuffer(16);
    b.append('12345');
    expect(b.mustTakeBefore('abc')).toBe(false); // 9 bytes worst case ≤ 11 left
    expect(b.mustTakeBefore('abcd')).toBe(true); // 12 > 11
    expect(() => b.stage('x'.repeat(10))).toThrow();
    expect(b.take()?.toString()).toBe('12345');
    const big = 'é'.repeat(100);
    expect(b.mustTakeBefore(big)).toBe(false); // empty buffers grow
    expect(b.append(big)).toBe(200);
    expect(b.take()?.toString()).toBe(big);
  });

  it('hands out independent buffers', () => {
    const b = new ChunkBuffer(8);
    b.append('aa');
    const first = b.take()!;
    b.append('bb');
    expect(first.toString()).toBe('aa');
    expect(b.take()?.toString()).toBe('bb');
  });
});
