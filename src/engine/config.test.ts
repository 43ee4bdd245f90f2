import { describe, expect, it } from 'vitest';
import { BKLOG_DELIMITER, BKLOG_PRESET, DEFAULT_CONFIG, levelName, parseConfig } from './config.ts';

const b64 = (text: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

describe('parseConfig', () => {
  it('returns the default configuration for an empty object', () => {
    expect(parseConfig({})).toEqual(DEFAULT_CONFIG);
  });

  it('selects the bklog preset with bk-log\'s values', () => {
    const c = parseConfig({ preset: 'bklog' });
    expect(c).toEqual(BKLOG_PRESET);
    expect(c.st_list).toEqual([0.875]);
    expect(c.depth).toBe(7);
    expect(c.predefined_varibles).toHaveLength(12);
  });

  it('accepts bk-log\'s string forms: comma lists, 0/1 flags, numeric strings', () => {
    const c = parseConfig({ st_list: '0.9,0.8875,0.875,0.8625,0.85', max_dist_list: '0.1,0.3,0.5,0.7,0.9', is_case_sensitive: 0, depth: '5' });
    expect(c.st_list).toEqual([0.9, 0.8875, 0.875, 0.8625, 0.85]);
    expect(c.max_dist_list.map(levelName)).toEqual(['01', '03', '05', '07', '09']);
    expect(c.is_case_sensitive).toBe(false);
    expect(c.depth).toBe(5);
  });

  it('decodes base64-of-JSON predefined_varibles and delimeter', () => {
    const vars = ['IP:^\\d+\\.\\d+\\.\\d+\\.\\d+$', 'NUMBER:^\\d+$'];
    const c = parseConfig({ predefined_varibles: b64(JSON.stringify(vars)), delimeter: b64(JSON.stringify(BKLOG_DELIMITER)) });
    expect(c.predefined_varibles).toEqual(vars);
    expect(c.delimeter).toBe(BKLOG_DELIMITER);
  });

  it('accepts plain forms and the correctly spelled aliases', () => {
    const c = parseConfig({ predefined_variables: ['N:^\\d+$'], delimiter: '\\s+' });
    expect(c.predefined_varibles).toEqual(['N:^\\d+$']);
    expect(c.delimeter).toBe('\\s+');
  });

  it.each([
    [{ st_list: [1.5] }], [{ depth: 2 }], [{ max_child: 'x' }], [{ unknown_key: 1 }], [{ predefined_varibles: ['NOCOLON'] }],
    [{ preset: 'nope' }], [{ st_list: [0.5, 0.6], max_dist_list: [0.5] }], [{ is_case_sensitive: 'maybe' }], ['not an object'],
  ])('rejects %j with BAD_PATTERN_CONFIG', (input) => {
    expect(() => parseConfig(input)).toThrow(expect.objectContaining({ code: 'BAD_PATTERN_CONFIG' }));
  });
});
