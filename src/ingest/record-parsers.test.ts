import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import type { IndexSet } from '../store/index-set.ts';
import type { ParserConfig } from './ingest-format.ts';
import { createLogfmtParser } from './logfmt-parser.ts';
import { createNdjsonParser } from './ndjson-parser.ts';

const indexSet: IndexSet = {
  id: 3, name: 'payments', bkBizId: 2, timeField: 'dtEventTimeStamp', messageField: 'log',
  fields: [
    { name: 'level', type: 'keyword' },
    { name: 'trace_id', type: 'keyword' },
    { name: 'amount', type: 'double' },
    { name: 'status', type: 'long' },
    { name: 'retry', type: 'boolean' },
  ],
  sortFields: [], retentionDays: 7, desensitizeRules: [], createdAt: '2026-11-01T00:00:00Z', createdBy: 'admin',
};
const base: ParserConfig = { indexSet, timeZone: 'UTC' };
const TS = 1794823872345; // 2026-11-16T10:11:12.345Z

describe('ndjson parser', () => {
  const parse = createNdjsonParser({ ...base, mapping: { time: '@timestamp', message: 'msg', fields: { trace_id: 'trace.id' } } });

  it('maps time, message, renamed dotted paths and typed fields', () => {
    const line = '{"@timestamp":"2026-11-16T10:11:12.345Z","msg":"charge ok","level":"info","trace":{"id":"t-1"},"amount":"12.50","status":200,"extra":1}';
    expect(parse(line, 1)).toEqual({
      ok: true,
      row: { ts: TS, message: 'charge ok', fields: { level: 'info', trace_id: 't-1', amount: 12.5, status: 200 } },
    });
  });

  it('prefers a literal dotted key over walking, and accepts epoch numbers for time', () => {
    const line = '{"@timestamp":1794823872345,"msg":"m","trace.id":"flat","trace":{"id":"nested"},"retry":false,"level":null}';
    expect(parse(line, 1)).toEqual({ ok: true, row: { ts: TS, message: 'm', fields: { trace_id: 'flat', retry: false, level: null } } });
  });

  it('reports bad JSON, non-objects, missing time and bad values with their line numbers', () => {
    expect(parse('{"a":', 2)).toMatchObject({ ok: false, lineNo: 2, reason: expect.stringMatching(/^invalid JSON: /) });
    expect(parse('[1,2]', 3)).toEqual({ ok: false, lineNo: 3, reason: 'expected a JSON object, got an array' });
    expect(parse('"text"', 4)).toEqual({ ok: false, lineNo: 4, reason: 'expected a JSON object, got a string' });
    expect(parse('null', 5)).toEqual({ ok: false, lineNo: 5, reason: 'expected a JSON object, got null' });
    expect(parse('{"msg":"m"}', 6)).toEqual({ ok: false, lineNo: 6, reason: 'missing time field (@timestamp)' });
    expect(parse('{"@timestamp":"soon","msg":"m"}', 7)).toEqual({ ok: false, lineNo: 7, reason: 'unparseable timestamp "soon"' });
    expect(parse('{"@timestamp":{"x":1},"msg":"m"}', 8)).toEqual({
      ok: false, lineNo: 8, reason: 'time field is not a string or number: {"x":1}',
    });
    expect(parse('{"@timestamp":1794823872345}', 9)).toEqual({ ok: false, lineNo: 9, reason: 'missing message field (msg)' });
    expect(parse('{"@timestamp":1794823872345,"msg":"m","status":2.5}', 10)).toEqual({
      ok: false, lineNo: 10, reason: 'field status: expected long, got 2.5',
    });
  });

  it('without a mapping, looks for the index set names then common keys; $line keeps the raw line', () => {
    const p = createNdjsonParser(base);
    expect(p('{"dtEventTimeStamp":"2026-11-16 18:11:12.345+08:00","log":"a"}', 1)).toEqual({ ok: true, row: { ts: TS, message: 'a', fields: {} } });
    expect(p('{"timestamp":"2026-11-16T10:11:12.345Z","message":{"k":1}}', 1)).toEqual({ ok: true, row: { ts: TS, message: '{"k":1}', fields: {} } });
    expect(p('{"msg":"x"}', 2)).toEqual({
      ok: false, lineNo: 2, reason: 'missing time field (dtEventTimeStamp, @timestamp, timestamp, time, ts)',
    });
    const whole = createNdjsonParser({ ...base, mapping: { message: '$line' } });
    const line = '{"ts":1794823872345,"level":"warn"}';
    expect(whole(line, 1)).toEqual({ ok: true, row: { ts: TS, message: line, fields: { level: 'warn' } } });
  });

  it('refuses a mapping onto an undeclared field with UNKNOWN_FIELD', () => {
    let caught: unknown;
    try {
      createNdjsonParser({ ...base, mapping: { fields: { nope: 'x' } } });
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught, 'UNKNOWN_FIELD')).toBe(true);
  });
});

describe('logfmt parser', () => {
  const parse = createLogfmtParser({ ...base, timeZone: 'Asia/Shanghai' });

  it('maps ts/msg and converts typed fields from text', () => {
    expect(parse('ts="2026-11-16 18:11:12.345" level=error msg="card declined: \\"insufficient funds\\"" amount=99.9 status=402 retry', 1)).toEqual({
      ok: true,
      row: { ts: TS, message: 'card declined: "insufficient funds"', fields: { level: 'error', amount: 99.9, status: 402, retry: true } },
    });
  });

  it('the same wall-clock time read in UTC is 8 hours later', () => {
    const utc = createLogfmtParser(base);
    expect(utc('ts="2026-11-16 18:11:12.345" msg=x', 1)).toEqual({ ok: true, row: { ts: TS + 8 * 3600_000, message: 'x', fields: {} } });
  });

  it('reports tokenizer errors, missing time and bad typed values', () => {
    expect(parse('ts=1 msg="open', 4)).toEqual({ ok: false, lineNo: 4, reason: 'logfmt: unterminated quoted value at column 10' });
    expect(parse('level=info msg=hi', 5)).toEqual({
      ok: false, lineNo: 5, reason: 'missing time field (dtEventTimeStamp, @timestamp, timestamp, time, ts)',
    });
    expect(parse('ts=1794823872345 msg=hi status=ok', 6)).toEqual({ ok: false, lineNo: 6, reason: 'field status: expected long, got "ok"' });
  });

  it('with defaultTime now, a missing time takes the reference time and is flagged', () => {
    const p = createLogfmtParser({ ...base, defaultTime: 'now', referenceTime: 7 });
    expect(p('msg=hi', 1)).toEqual({ ok: true, defaultedTime: true, row: { ts: 7, message: 'hi', fields: {} } });
  });
});
