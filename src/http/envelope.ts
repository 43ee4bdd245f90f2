import { type TSchema, Type } from '@sinclair/typebox';

/**
 * bk-log's response envelope `{result, code, message, data}` so its front end can talk to
 * logsift. Success: `code` 0. Failure: `code` is the HTTP status and `error.code` the stable
 * string code from the catalogue (bk-log used opaque integers; strings are greppable).
 */
export function ok<T>(data: T): { result: true; code: 0; message: ''; data: T } {
  return { result: true, code: 0, message: '', data };
}

export function Envelope<T extends TSchema>(data: T) {
  return Type.Object({
    result: Type.Literal(true),
    code: Type.Literal(0),
    message: Type.String(),
    data,
  });
}

export const ErrorEnvelope = Type.Object(
  {
    result: Type.Literal(false),
    code: Type.Integer({ description: 'HTTP status' }),
    message: Type.String(),
    data: Type.Null(),
    error: Type.Object({
      code: Type.String({ description: 'Stable error code (see docs/errors.md)' }),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: 'ErrorEnvelope' },
);
