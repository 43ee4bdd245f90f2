import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { LogsService } from '../../search/logs-service.ts';
import type { LogRow } from '../../store/log-row.ts';
import { FILTER_OPERATORS, type SearchRequest } from '../../store/search-request.ts';
import { ok } from '../envelope.ts';
import { principalOf } from '../plugins/auth.ts';
import { checkTimeZone, parseTimeParam } from '../time-param.ts';

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const TimeValue = Type.Union([Type.String(), Type.Number()], { description: 'epoch ms, ISO-8601 or "YYYY-MM-DD HH:mm:ss" (in time_zone)' });

/** bk-log's search body (snake_case), so its front end can send it unchanged. */
export const SearchBody = Type.Object({
  start_time: TimeValue,
  end_time: TimeValue,
  time_zone: Type.Optional(Type.String({ description: 'IANA zone for zone-less times (default UTC)' })),
  keyword: Type.Optional(Type.String({ description: 'Lucene-like query; `*` or empty matches all' })),
  addition: Type.Optional(
    Type.Array(Type.Object({ field: Type.String(), operator: Type.Union(FILTER_OPERATORS.map((o) => Type.Literal(o))), value: Type.Union([Scalar, Type.Array(Scalar)]) })),
  ),
  sort_list: Type.Optional(Type.Array(Type.Tuple([Type.String(), Type.Union([Type.Literal('asc'), Type.Literal('desc')])]))),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  search_after: Type.Optional(Type.Array(Type.Union([Scalar, Type.Null()]))),
  fields: Type.Optional(Type.Array(Type.String())),
  track_total_hits: Type.Optional(Type.Union([Type.Boolean(), Type.Integer({ minimum: 0 })])),
});
export type SearchBodyType = typeof SearchBody.static;

/** Maps the bk-log body onto the store's request; time and zone errors are 400s here. */
export function toSearchRequest(body: SearchBodyType): SearchRequest {
  const zone = checkTimeZone(body.time_zone ?? 'UTC');
  const req: SearchRequest = {
    startTime: parseTimeParam('start_time', body.start_time, zone),
    endTime: parseTimeParam('end_time', body.end_time, zone),
  };
  if (body.keyword !== undefined) req.query = body.keyword;
  if (body.addition !== undefined) req.addition = body.addition;
  if (body.sort_list !== undefined) req.sortList = body.sort_list;
  if (body.size !== undefined) req.size = body.size;
  if (body.search_after !== undefined) req.searchAfter = body.search_after;
  if (body.fields !== undefined) req.fields = body.fields;
  if (body.track_total_hits !== undefined) req.trackTotalHits = body.track_total_hits;
  return req;
}

/** One row as bk-log lists it: fields flattened, plus logsift's id and ingest time. */
function flatten(row: LogRow, timeField: string, messageField: string): Record<string, unknown> {
  return { __id: row.id, [timeField]: row.ts, [messageField]: row.message, ...row.fields };
}

export function searchRoutes(logs: LogsService) {
  return (app: FastifyInstance): void => {
    app.post(
      '/api/v1/search/index_set/:index_set_id/search/',
      { schema: { tags: ['search'], params: Type.Object({ index_set_id: Type.Integer({ minimum: 1 }) }), body: SearchBody } },
      async (req) => {
        const started = performance.now();
        const { index_set_id } = req.params as { index_set_id: number };
        const request = toSearchRequest(req.body as SearchBodyType);
        const { indexSet, result } = await logs.search(principalOf(req), index_set_id, request);
        const last = result.hits.at(-1);
        return ok({
          total: result.total,
          total_is_exact: result.totalIsExact,
          took: Math.round(performance.now() - started),
          list: result.hits.map((h) => flatten(h.row, indexSet.timeField, indexSet.messageField)),
          search_after: last?.sort ?? null,
        });
      },
    );
  };
}
