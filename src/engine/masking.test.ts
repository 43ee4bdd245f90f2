import { describe, expect, it } from 'vitest';
import { BKLOG_PREDEFINED_VARIABLES } from './config.ts';
import { compileMasking, compileUserRegex, findCatastrophicShape, findSpans } from './masking.ts';

describe('predefined variables', () => {
  it('compiles bk-log\'s 12 defaults, anchored ones per token, NUMBER last', () => {
    const m = compileMasking(BKLOG_PREDEFINED_VARIABLES);
    expect(m.tokenRules.map((r) => r.name)).toEqual(['PERIOD', 'IP', 'NUMBER']);
    expect(m.spanRules.map((r) => r.name)).toEqual(['URL', 'DATETIME', 'DATETIME', 'DATE', 'TIME', 'PATH', 'UUID', 'UUID', 'IP-PORT']);
  });

  it('finds non-overlapping spans, earlier rules first, sorted by position', () => {
    const m = compileMasking(['TIME:\\d{2}:\\d{2}:\\d{2}', 'NUM:\\d+']);
    const out: number[] = [];
    const text = 'at 07:07:00 took 15';
    expect(findSpans(text, m.spanRules, out)).toBe(2);
    expect(out).toEqual([3, 11, 0, 17, 19, 1]);
  });

  it('ignores empty matches instead of looping', () => {
    const m = compileMasking(['EMPTY:x*']);
    const out: number[] = [];
    expect(findSpans('aaa', m.spanRules, out)).toBe(0);
  });
});

describe('hostile regexes', () => {
  it.each(['(a+)+$', '(\\w*)*x', '(x|y+){2,}', '((ab)*)+', '(a)\\1', '(\\/[a-z/]+)+', '(x.+)+', '(a\\w+)+', '(a|aa)+b', '(a|a)*', '(\\w|\\d)+', '(?:ab|a)+'])('rejects %s', (source) => {
    expect(findCatastrophicShape(source)).toBeDefined();
    expect(() => compileUserRegex(source, 'test')).toThrow(expect.objectContaining({ code: 'BAD_PATTERN_CONFIG' }));
  });

  it.each(['(\\/[a-zA-Z0-9\\._-]+)+', '(\\d+\\.){3}\\d+', '[a-z+*]+', 'blk_-?\\d+', '(http|https)://\\S+', '(ab){3}', '(\\s|-|_|T)+', '(x|y|z)*'])('accepts %s', (source) => {
    expect(findCatastrophicShape(source)).toBeUndefined();
  });

  it('rejects a regex that passes the shape check but backtracks on short probes', () => {
    const source = '.*.*.*.*.*.*.*.*=';
    expect(findCatastrophicShape(source)).toBeUndefined();
    expect(() => compileUserRegex(source, 'test')).toThrow(expect.objectContaining({ code: 'BAD_PATTERN_CONFIG', message: expect.stringContaining('backtracks') }));
  });

  it('reports a regex that does not compile with its reason', () => {
    expect(() => compileMasking(['BAD:([a-z'])).toThrow(expect.objectContaining({ code: 'BAD_PATTERN_CONFIG', message: expect.stringContaining('does not compile') }));
  });

  it('rejects names that are not identifiers', () => {
    expect(() => compileMasking(['bad name:\\d+'])).toThrow(expect.objectContaining({ code: 'BAD_PATTERN_CONFIG' }));
  });
});
