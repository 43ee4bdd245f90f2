import { describe, expect, it } from 'vitest';
import type { LogRow } from '../store/log-row.ts';
import { compileDesensitizer, wantsRawData } from './desensitize.ts';

const row = (): LogRow => ({
  id: '1',
  indexSetId: 1,
  ts: 1_700_000_000_000,
  ingestedAt: 1_700_000_000_500,
  message: 'login ok phone=13812345678 card 6222-0000-1111-2222',
  fields: { phone: '13812345678', user: '张三丰', amount: 12345, ok: true, empty: null },
});

const ctx = { messageField: 'log', timeField: 'dtEventTimeStamp', raw: false };

describe('compileDesensitizer', () => {
  it('masks matches with * of the same length by default, leaving the rest', () => {
    const mask = compileDesensitizer([{ field: 'phone', pattern: '\\d{4}$' }], ctx);
    expect(mask(row()).fields.phone).toBe('1381234****');
  });

  it('counts characters, not UTF-16 units or bytes', () => {
    const mask = compileDesensitizer([{ field: 'user', pattern: '(?<=^.).+' }], ctx);
    expect(mask(row()).fields.user).toBe('张**');
  });

  it('uses a replacement with groups when given', () => {
    const mask = compileDesensitizer([{ field: 'phone', pattern: '^(\\d{3})\\d{4}(\\d{4})$', replacement: '$1****$2' }], ctx);
    expect(mask(row()).fields.phone).toBe('138****5678');
  });

  it('masks the message through the index set message field name, every match', () => {
    const mask = compileDesensitizer([{ field: 'log', pattern: '\\d{4}(?=-|$)' }], ctx);
    expect(mask(row()).message).toBe('login ok phone=13812345678 card ****-****-****-****');
  });

  it('applies several rules in order and masks numbers as text', () => {
    const mask = compileDesensitizer(
      [
        { field: 'amount', pattern: '\\d' },
        { field: 'phone', pattern: '^\\d{3}', replacement: 'XXX' },
        { field: 'phone', pattern: 'X', replacement: 'Y' },
      ],
      ctx,
    );
    const out = mask(row());
    expect(out.fields.amount).toBe('*****');
    expect(out.fields.phone).toBe('YYY12345678');
    expect(out.fields.ok).toBe(true);
  });

  it('masks the row in place, and leaves a row without matches as it was', () => {
    const input = row();
    const mask = compileDesensitizer([{ field: 'phone', pattern: '\\d' }, { field: 'missing', pattern: '.' }], ctx);
    expect(mask(input)).toBe(input);
    expect(input.fields.phone).toBe('***********');
    const untouched = { ...row(), fields: { other: 'x' } };
    expect(mask(untouched)).toEqual({ ...row(), fields: { other: 'x' } });
  });

  it('masks like replace() with one star per code point: every match, empty matches, surrogates', () => {
    const text = 'a1b22c😀d张三 \ud800x';
    for (const pattern of ['\\d+', '\\d', 'x*', '[😀]', '😀', '.', '[^a-z]+', '\\s|$']) {
      const expected = text.replace(new RegExp(pattern, 'g'), (m) => '*'.repeat([...m].length));
      const input = { ...row(), fields: { v: text } };
      expect(compileDesensitizer([{ field: 'v', pattern }], ctx)(input).fields.v, pattern).toBe(expected);
    }
  });

  it('skips nulls, booleans, the time field and built-ins', () => {
    const mask = compileDesensitizer(
      [
        { field: 'empty', pattern: '.*' },
        { field: 'ok', pattern: '.*' },
        { field: 'dtEventTimeStamp', pattern: '\\d' },
        { field: 'id', pattern: '\\d' },
      ],
      ctx,
    );
    const input = row();
    expect(mask(input)).toBe(input);
  });

  it('is a no-op for raw exports (admin asked for raw data)', () => {
    const mask = compileDesensitizer([{ field: 'phone', pattern: '\\d' }], { ...ctx, raw: true });
    const input = row();
    expect(mask(input)).toBe(input);
    expect(mask(input).fields.phone).toBe('13812345678');
  });

  it('honours raw only for admins', () => {
    expect(wantsRawData(false, true)).toBe(true);
    expect(wantsRawData(false, false)).toBe(false);
    expect(wantsRawData(true, true)).toBe(false);
  });

  it('rejects an invalid pattern before any row', () => {
    expect(() => compileDesensitizer([{ field: 'phone', pattern: '(' }], ctx)).toThrow(
      expect.objectContaining({ code: 'BAD_CONFIG' }),
    );
  });

  it('gives the same result on every row (no lastIndex carry-over)', () => {
    const mask = compileDesensitizer([{ field: 'phone', pattern: '\\d{4}$' }], ctx);
    for (let i = 0; i < 3; i++) expect(mask(row()).fields.phone).toBe('1381234****');
  });
});
