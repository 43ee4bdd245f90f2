import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import type { IndexSet } from '../store/index-set.ts';
import { compileHeaderFormat } from './header-format.ts';
import type { ParserConfig } from './ingest-format.ts';
import { createRawParser } from './raw-parser.ts';

const indexSet: IndexSet = {
  id: 1, name: 'hdfs', bkBizId: 2, timeField: 'dtEventTimeStamp', messageField: 'log',
  fields: [
    { name: 'level', type: 'keyword' },
    { name: 'component', type: 'keyword' },
    { name: 'pid', type: 'long' },
    { name: 'latency', type: 'double' },
    { name: 'cached', type: 'boolean' },
  ],
  sortFields: [], retentionDays: 7, desensitizeRules: [], createdAt: '2026-11-01T00:00:00Z', createdBy: 'admin',
};
const config = (over: Partial<ParserConfig> = {}): ParserConfig => ({
  indexSet, timeZone: 'Asia/Shanghai', headerFormat: '<Date> <Time> <Pid> <Level> <Component>: <Content>', ...over,
});
// 2026-11-16 10:11:12.345 in Asia/Shanghai = 02:11:12.345Z (computed independently).
const TS = 1794795072345;

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return isAppError(err) ? err.code : 'not an AppError';
  }
  return undefined;
};

describe('raw parser', () => {
  const parse = createRawParser(config());

  it('splits a Loghub-style line into time, declared fields and message', () => {
    expect(parse('2026-11-16 10:11:12,345 4242 INFO dfs.DataNode: Receiving block blk_-12 src: /10.0.0.1:5000', 1)).toEqual({
      ok: true,
      row: {
        ts: TS,
        message: 'Receiving block blk_-12 src: /10.0.0.1:5000',
        fields: { pid: 4242, level: 'INFO', component: 'dfs.DataNode' },
      },
    });
  });

  it('keeps the message verbatim, inner spaces and colons included', () => {
    const r = parse('2026-11-16 10:11:12,345   7 WARN  x.Y:   a  b: c ', 9);
    expect(r).toEqual({ ok: true, row: { ts: TS, message: 'a  b: c ', fields: { pid: 7, level: 'WARN', component: 'x.Y' } } });
  });

  it('rejects a line that does not match, a bad timestamp and a bad typed field', () => {
    expect(parse('hello world', 3)).toEqual({
      ok: false, lineNo: 3, reason: 'line does not match header format "<Date> <Time> <Pid> <Level> <Component>: <Content>"',
    });
    expect(parse('2026-02-30 10:11:12,345 1 INFO a: b', 4)).toEqual({
      ok: false, lineNo: 4, reason: 'unparseable timestamp "2026-02-30 10:11:12,345" in <Date Time>',
    });
    expect(parse('2026-11-16 10:11:12,345 abc INFO a: b', 5)).toEqual({
      ok: false, lineNo: 5, reason: 'field pid: expected long, got "abc"',
    });
  });

  it('converts double and boolean fields, uses <log> as message and drops undeclared fields', () => {
    const p = createRawParser(config({ headerFormat: '[<Timestamp>] <Latency>ms cached=<Cached> host=<Host> <log>', timeZone: 'UTC' }));
    expect(p('[2026-11-16T10:11:12.345Z] 12.5ms cached=TRUE host=web-1 GET /x', 1)).toEqual({
      ok: true, row: { ts: 1794823872345, message: 'GET /x', fields: { latency: 12.5, cached: true } },
    });
    expect(p('[2026-11-16T10:11:12.345Z] 12.5ms cached=maybe host=web-1 GET /x', 2)).toEqual({
      ok: false, lineNo: 2, reason: 'field cached: expected boolean, got "maybe"',
    });
    expect(p('[2026-11-16T10:11:12.345Z] fast!ms cached=true host=web-1 GET /x', 3)).toEqual({
      ok: false, lineNo: 3, reason: 'field latency: expected double, got "fast!"',
    });
  });

  it('joins syslog Month/Day/Time parts and assumes the year from the reference time', () => {
    const p = createRawParser(config({
      headerFormat: '<Month> <Day> <Time> <Host> <Component>: <Content>', timeZone: 'UTC', referenceTime: 1794823872345,
    }));
    expect(p('Nov  6 10:11:12 node-1 kubelet: probe ok', 1)).toEqual({
      ok: true, row: { ts: 1794823872345 - 10 * 86_400_000 - 345, message: 'probe ok', fields: { component: 'kubelet' } },
    });
  });

  it('with defaultTime now, a bad timestamp takes the reference time and is flagged', () => {
    const p = createRawParser(config({ defaultTime: 'now', referenceTime: 42 }));
    expect(p('garbage here 1 INFO a: b', 1)).toEqual({
      ok: true, defaultedTime: true, row: { ts: 42, message: 'b', fields: { pid: 1, level: 'INFO', component: 'a' } },
    });
  });

  it('refuses unusable configurations with VALIDATION_FAILED', () => {
    expect(codeOf(() => createRawParser(config({ headerFormat: undefined })))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => createRawParser(config({ headerFormat: '<Date> <Time> <Level>' })))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => createRawParser(config({ headerFormat: '<Level> <Content>' })))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => createRawParser(config({ headerFormat: '<Date> <Da te> <Content>' })))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => createRawParser(config({ headerFormat: '<Date> <Date> <Content>' })))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => createRawParser(config({ timeZone: 'Nowhere/Land' })))).toBe('VALIDATION_FAILED');
  });
});

describe('compileHeaderFormat', () => {
  it('escapes literals, honours backslash escapes and names groups in order', () => {
    const { regex, names } = compileHeaderFormat('\\<<Level>\\> (<Thread>) <Content>');
    expect(names).toEqual(['Level', 'Thread', 'Content']);
    expect(regex.exec('<INFO> (main worker) hi there')?.slice(1)).toEqual(['INFO', 'main worker', 'hi there']);
    expect(regex.test('INFO (main) hi')).toBe(false);
  });
});

describe('compileHeaderFormat on hostile lines', () => {
  it('rejects a long non-matching line (a lazy-group regex would backtrack for hours)', () => {
    const { regex } = compileHeaderFormat('<Date> <Time> <Level> [<Host>] <Component>: <Content>');
    expect(regex.test(`a b c [${'] '.repeat(200_000)}`)).toBe(false);
  });

  it('ends a field at the first character of the literal after it', () => {
    const { regex } = compileHeaderFormat('[<Thread>] <Content>');
    expect(regex.exec('[pool-1] [x] y')?.slice(1)).toEqual(['pool-1', '[x] y']);
    expect(regex.test('[pool[1]] y')).toBe(false);
  });
});
