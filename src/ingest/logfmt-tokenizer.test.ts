import { describe, expect, it } from 'vitest';
import { tokenizeLogfmt } from './logfmt-tokenizer.ts';

const pairs = (line: string): unknown => {
  const r = tokenizeLogfmt(line);
  return r.ok ? { ...r.pairs } : r.reason;
};

describe('tokenizeLogfmt', () => {
  it('reads plain, quoted, empty and bare pairs', () => {
    expect(pairs('level=info msg="hello world" empty= flag  path=/a/b?x=1')).toEqual({
      level: 'info', msg: 'hello world', empty: '', flag: true, path: '/a/b?x=1',
    });
  });

  it('decodes escapes in quoted values', () => {
    expect(pairs('msg="say \\"hi\\"\\n\\ttab \\\\ \\u00e9"')).toEqual({ msg: 'say "hi"\n\ttab \\ é' });
    expect(pairs('msg=""')).toEqual({ msg: '' });
    expect(pairs('a="x=y z"\tb=2')).toEqual({ a: 'x=y z', b: '2' });
  });

  it('keeps the last value of a repeated key and tolerates extra whitespace', () => {
    expect(pairs('  a=1   a=2  ')).toEqual({ a: '2' });
    expect(pairs('')).toEqual({});
  });

  it('reports malformed input with the 1-based column', () => {
    expect(pairs('msg="unterminated')).toBe('logfmt: unterminated quoted value at column 5');
    expect(pairs('a=1 =2')).toBe("logfmt: '=' without a key at column 5");
    expect(pairs('a="x"y')).toBe('logfmt: unexpected character after closing quote at column 6');
    expect(pairs('a=x"y')).toBe('logfmt: unexpected quote in unquoted value at column 4');
    expect(pairs('a="\\q"')).toBe('logfmt: unknown escape \\q at column 4');
    expect(pairs('a="\\u12"')).toBe('logfmt: bad \\u escape at column 4');
    expect(pairs('"a"=1')).toBe('logfmt: value without a key at column 1');
    expect(pairs('k"a"=1')).toBe('logfmt: unexpected quote in key at column 2');
  });
});

describe('tokenizeLogfmt and prototype keys', () => {
  it('drops a __proto__ key without touching the prototype', () => {
    const r = tokenizeLogfmt('__proto__=x constructor=y a=1');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.getPrototypeOf(r.pairs)).toBe(Object.prototype);
    expect(Object.keys(r.pairs)).toEqual(['constructor', 'a']);
    expect(r.pairs.constructor).toBe('y');
  });
});
