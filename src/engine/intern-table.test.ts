import { describe, expect, it } from 'vitest';
import { hashStep, InternTable } from './intern-table.ts';

const hashOf = (text: string, s: number, e: number): number => {
  let h = 0;
  for (let i = s; i < e; i++) h = hashStep(h, text.charCodeAt(i));
  return h;
};

describe('InternTable', () => {
  it('returns the same object for the same word and the right text for every word', () => {
    const table = new InternTable();
    const text = 'alpha beta alpha gamma beta';
    const a1 = table.get(text, 0, 5, hashOf(text, 0, 5));
    const a2 = table.get(text, 11, 16, hashOf(text, 11, 16));
    expect(a1).toBe('alpha');
    expect(a2).toBe(a1);
    expect(table.get(text, 6, 10, hashOf(text, 6, 10))).toBe('beta');
  });

  it('stays correct under hash collisions and when it fills up and starts over', () => {
    const table = new InternTable();
    for (let i = 0; i < 200_000; i++) {
      const word = `w${i.toString(36)}`;
      // a constant hash forces every word through the probe limit
      expect(table.get(`x ${word} y`, 2, 2 + word.length, i % 3 === 0 ? 7 : hashOf(word, 0, word.length))).toBe(word);
    }
  });
});
