import { describe, expect, it } from 'vitest';
import { classifyBuiltin, dotNumberSplit } from './token-classifier.ts';

const cls = (token: string): string | undefined => classifyBuiltin(token, 0, token.length);

describe('built-in variable recogniser', () => {
  it.each([
    ['0', 'NUMBER'], ['-2', 'NUMBER'], ['17.7', 'NUMBER'], ['15ms', 'NUMBER'], ['40%', 'NUMBER'], ['1,024', 'NUMBER'],
    ['0x0b85eee0', 'HEX'], ['14ed93111f20005', 'HEX'], ['10.251.73.220', 'IP'], ['70293f72-844a-4b39-9ad6-fb0ad7e364e4', 'UUID'],
    ['/var/www/html/', 'PATH'], ['/10.0.0.1', 'PATH'], ['blk_-1727475099218615100', 'ID'], ['mesos-slave-07', 'ID'],
    ['appattempt_1445144423722_0020_000001', 'ID'], ['true', 'BOOL'], ['NULL', 'NULL'],
  ])('%s is %s', (token, name) => {
    expect(cls(token)).toBe(name);
  });

  it.each(['ssh2', 'log4j', 'jk2_init', 'Slf4jLogger', 'word', 'load/store', '//x', '-', 'deadbeef', 'hadoop-metrics2.properties'])(
    '%s is a word', (token) => {
      expect(cls(token)).toBeUndefined();
    });

  it('splits word.123 only when the word has letters and no digits', () => {
    expect(dotNumberSplit('core.2275', 0, 9)).toBe(4);
    expect(dotNumberSplit('10.1', 0, 4)).toBe(-1);
    expect(dotNumberSplit('v2.1', 0, 4)).toBe(-1);
    expect(dotNumberSplit('core.', 0, 5)).toBe(-1);
  });
});
