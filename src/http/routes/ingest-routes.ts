import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { INGEST_FORMATS, type FieldMapping } from '../../ingest/ingest-format.ts';
import type { LogsService } from '../../search/logs-service.ts';
import { AppError } from '../../shared/app-error.ts';
import { ok } from '../envelope.ts';
import { principalOf } from '../plugins/auth.ts';
import { checkTimeZone } from '../time-param.ts';

const BODY_TYPES = ['application/x-ndjson', 'application/jsonl', 'text/plain'];

const IngestQuery = Type.Object({
  format: Type.Optional(Type.Union(INGEST_FORMATS.map((f) => Type.Literal(f)), { default: 'ndjson' })),
  time_zone: Type.Optional(Type.String({ default: 'UTC' })),
  time_format: Type.Optional(Type.String()),
  header_format: Type.Optional(Type.String({ description: 'raw format, e.g. `<Date> <Time> <Level> <Component>: <Content>`' })),
  mapping: Type.Optional(Type.String({ description: 'JSON FieldMapping: {"time": "...", "message": "...", "fields": {...}}' })),
});

function parseMapping(raw: string | undefined): FieldMapping | undefined {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as FieldMapping;
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', 'mapping must be a JSON object', { cause: err });
  }
}

/**
 * Ingest over HTTP is all-or-nothing: the body is parsed completely first and a single bad line
 * rejects the request with every bad line's number (up to 100) and writes nothing.
 */
export function ingestRoutes(logs: LogsService) {
  return (app: FastifyInstance): void => {
    app.addContentTypeParser(BODY_TYPES, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.post(
      '/api/v1/index_set/:index_set_id/ingest/',
      {
        schema: {
          tags: ['ingest'],
          description: 'Body: one record per line (NDJSON by default; `format=logfmt` or `format=raw`). Content-Type application/x-ndjson or text/plain.',
          params: Type.Object({ index_set_id: Type.Integer({ minimum: 1 }) }),
          querystring: IngestQuery,
        },
      },
      async (req, reply) => {
        const { index_set_id } = req.params as { index_set_id: number };
        const q = req.query as typeof IngestQuery.static;
        if (!Buffer.isBuffer(req.body)) {
          throw new AppError('VALIDATION_FAILED', `Send the lines with Content-Type ${BODY_TYPES.join(', ')}`);
        }
        const mapping = parseMapping(q.mapping);
        const result = await logs.ingest(principalOf(req), index_set_id, [req.body], {
          format: q.format ?? 'ndjson',
          timeZone: checkTimeZone(q.time_zone ?? 'UTC'),
          ...(q.time_format === undefined ? {} : { timeFormat: q.time_format }),
          ...(q.header_format === undefined ? {} : { headerFormat: q.header_format }),
          ...(mapping === undefined ? {} : { mapping }),
          rejectOnBadLines: true,
        });
        if (result.rejected > 0) {
          throw new AppError('BAD_INPUT_LINE', `${result.rejected} of ${result.lines} lines cannot be parsed; nothing was written`, {
            details: { rejected: result.rejected, bad_lines: result.badLines.map((b) => ({ line: b.lineNo, reason: b.reason })) },
          });
        }
        return reply.status(201).send(ok({ accepted: result.accepted, blank_lines: result.blankLines, first_id: result.firstId, last_id: result.lastId }));
      },
    );
  };
}
