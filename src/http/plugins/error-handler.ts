import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, coerceError } from '../../shared/app-error.ts';
import type { ErrorCode } from '../../shared/error-codes.ts';

// Fastify's own errors (schema validation, body size, bad JSON) mapped onto our catalogue so
// every 4xx has a stable code.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const fe = err as FastifyError;
  if (fe.validation !== undefined) {
    return new AppError('VALIDATION_FAILED', fe.message, { details: { issues: fe.validation.map((v) => ({ path: v.instancePath, message: v.message })) } });
  }
  const mapped = fe.code === undefined ? undefined : FASTIFY_CODES[fe.code];
  if (mapped !== undefined) return new AppError(mapped, fe.message);
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', fe.message);
  }
  return coerceError(err);
}

/** Every error leaves as the bk-log envelope; 5xx details stay in the log, never in the body. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const appErr = toAppError(err);
    if (appErr.httpStatus >= 500) request.log.error({ err: appErr.cause ?? appErr }, 'request failed');
    else request.log.info({ code: appErr.code }, appErr.message);
    const error = appErr.details === undefined ? { code: appErr.code } : { code: appErr.code, details: appErr.details };
    void reply.status(appErr.httpStatus).send({ result: false, code: appErr.httpStatus, message: appErr.message, data: null, error });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ result: false, code: 404, message: `No route ${request.method} ${request.url}`, data: null, error: { code: 'NOT_FOUND' } });
  });
}
