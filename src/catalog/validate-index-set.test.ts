import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import { type ValidationProblem, validateIndexSet } from './validate-index-set.ts';

function problems(input: unknown): ValidationProblem[] {
  try {
    validateIndexSet(input);
  } catch (err) {
    if (isAppError(err, 'VALIDATION_FAILED')) return err.details?.errors as ValidationProblem[];
    throw err;
  }
  throw new Error('expected VALIDATION_FAILED');
}

const base = {
  name: 'nginx access',
  bkBizId: 2,
  fields: [{ name: 'level', type: 'keyword' }, { name: 'status', type: 'long' }, { name: 'body', type: 'text' }],
};

describe('validateIndexSet', () => {
  it('fills bk-log defaults for a minimal definition', () => {
    expect(validateIndexSet({ name: ' app ', bkBizId: -3 })).toEqual({
      name: 'app', bkBizId: -3, timeField: 'dtEventTimeStamp', messageField: 'log',
      fields: [], sortFields: ['dtEventTimeStamp'], retentionDays: 30, desensitizeRules: [],
    });
  });

  it('keeps a full valid definition', () => {
    const def = validateIndexSet({
      ...base, timeField: 'ts', messageField: 'msg', sortFields: ['ts', 'status', 'level'], retentionDays: 3650,
      desensitizeRules: [{ field: 'msg', pattern: '\\d{11}', replacement: '<phone>' }, { field: 'level', pattern: 'x+' }],
      fields: [...base.fields, { name: '__ext.container_id', type: 'keyword', description: 'k8s container' }],
    });
    expect(def.sortFields).toEqual(['ts', 'status', 'level']);
    expect(def.fields[3]).toEqual({ name: '__ext.container_id', type: 'keyword', description: 'k8s container' });
    expect(def.desensitizeRules).toEqual([{ field: 'msg', pattern: '\\d{11}', replacement: '<phone>' }, { field: 'level', pattern: 'x+' }]);
  });

  it('rejects a sort field that is not declared, with its path', () => {
    expect(problems({ ...base, sortFields: ['dtEventTimeStamp', 'host'] })).toEqual([
      { path: 'sortFields[1]', message: 'unknown field "host": sort fields must be declared fields or the time field "dtEventTimeStamp"' },
    ]);
  });

  it('rejects sorting on text, the message field and repeated sort fields', () => {
    expect(problems({ ...base, sortFields: ['body', 'log', 'level', 'level'] }).map((p) => p.path)).toEqual([
      'sortFields[0]', 'sortFields[1]', 'sortFields[3]',
    ]);
  });

  it('rejects duplicate field names and names taken by time, message or built-in fields', () => {
    const found = problems({
      ...base,
      fields: [
        { name: 'level', type: 'keyword' }, { name: 'level', type: 'long' }, { name: 'dtEventTimeStamp', type: 'date' },
        { name: 'log', type: 'text' }, { name: 'id', type: 'long' },
      ],
    });
    expect(found).toEqual([
      { path: 'fields[1].name', message: 'duplicate field name "level"' },
      { path: 'fields[2].name', message: '"dtEventTimeStamp" is already the time field' },
      { path: 'fields[3].name', message: '"log" is already the message field' },
      { path: 'fields[4].name', message: '"id" is already a built-in field' },
    ]);
  });

  it('rejects unknown field types and bad field names', () => {
    const found = problems({ ...base, fields: [{ name: 'a', type: 'string' }, { name: '1abc', type: 'long' }, 'level'] });
    expect(found.map((p) => p.path)).toEqual(['fields[0].type', 'fields[1].name', 'fields[2]']);
    expect(found[0]?.message).toBe('must be one of keyword, text, long, double, boolean, date, got "string"');
  });

  it('rejects desensitize rules with a bad regex, an empty-matching regex or an unknown field', () => {
    const found = problems({
      ...base,
      desensitizeRules: [
        { field: 'level', pattern: '(unclosed' },
        { field: 'level', pattern: 'a*' },
        { field: 'nope', pattern: 'x' },
        { field: 'dtEventTimeStamp', pattern: '' },
      ],
    });
    expect(found.map((p) => p.path)).toEqual([
      'desensitizeRules[0].pattern', 'desensitizeRules[1].pattern', 'desensitizeRules[2].field',
      'desensitizeRules[3].field', 'desensitizeRules[3].pattern',
    ]);
    expect(found[0]?.message).toMatch(/^is not a valid regular expression: /);
    expect(found[1]?.message).toBe('must not match the empty string');
  });

  it('reports every problem at once in details and in the message', () => {
    let caught: unknown;
    try {
      validateIndexSet({ name: '', bkBizId: '2', retentionDays: 0, timeField: 't', messageField: 't', sortFields: 'ts' });
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught, 'VALIDATION_FAILED')).toBe(true);
    const err = caught as Error & { details: { errors: ValidationProblem[] }; httpStatus: number };
    expect(err.httpStatus).toBe(400);
    expect(err.details.errors.map((p) => p.path)).toEqual(['name', 'bkBizId', 'messageField', 'sortFields', 'retentionDays']);
    expect(err.message).toContain('retentionDays: must be an integer 1–3650, got 0');
  });

  it('rejects retention outside 1–3650 and non-objects', () => {
    expect(problems({ ...base, retentionDays: 3651 })[0]?.path).toBe('retentionDays');
    expect(problems({ ...base, retentionDays: 1.5 })[0]?.path).toBe('retentionDays');
    expect(problems(null)[0]).toEqual({ path: '', message: 'must be an object' });
  });
});
