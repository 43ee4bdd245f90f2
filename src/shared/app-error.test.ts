import { describe, expect, it } from 'vitest';
import { AppError, coerceError } from './app-error.ts';
import { ERROR_CODES } from './error-codes.ts';

describe('AppError', () => {
  it('takes its HTTP status from the catalogue', () => {
    const err = new AppError('UNKNOWN_FIELD', 'no field "x"', { details: { field: 'x' } });
    expect(err.httpStatus).toBe(ERROR_CODES.UNKNOWN_FIELD.status);
    expect(err.toJSON()).toEqual({ code: 'UNKNOWN_FIELD', message: 'no field "x"', details: { field: 'x' } });
  });

  it('wraps foreign errors as INTERNAL and keeps the cause', () => {
    const cause = new TypeError('boom');
    const err = coerceError(cause);
    expect(err.code).toBe('INTERNAL');
    expect(err.httpStatus).toBe(500);
    expect(err.cause).toBe(cause);
    expect(coerceError(err)).toBe(err);
  });
});
