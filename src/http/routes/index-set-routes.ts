import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { IndexSetService } from '../../catalog/index-set-service.ts';
import type { LogsService } from '../../search/logs-service.ts';
import { FIELD_TYPES } from '../../store/index-set.ts';
import { ok } from '../envelope.ts';
import { principalOf } from '../plugins/auth.ts';

const FieldDef = Type.Object({
  name: Type.String(),
  type: Type.Union(FIELD_TYPES.map((t) => Type.Literal(t))),
  description: Type.Optional(Type.String()),
});

/** Body of create; the service validates semantics and lists every problem at once. */
const IndexSetInput = Type.Object({
  name: Type.String({ minLength: 1 }),
  bkBizId: Type.Integer(),
  timeField: Type.Optional(Type.String()),
  messageField: Type.Optional(Type.String()),
  fields: Type.Optional(Type.Array(FieldDef)),
  sortFields: Type.Optional(Type.Array(Type.String())),
  retentionDays: Type.Optional(Type.Integer()),
  desensitizeRules: Type.Optional(
    Type.Array(Type.Object({ field: Type.String(), pattern: Type.String(), replacement: Type.Optional(Type.String()) })),
  ),
});

const IdParams = Type.Object({ index_set_id: Type.Integer({ minimum: 1 }) });
const tags = ['index sets'];

/** Index sets: bk-log's unit of search. Listing shows only the caller's businesses. */
export function indexSetRoutes(indexSets: IndexSetService, logs: LogsService) {
  return (app: FastifyInstance): void => {
    app.get(
      '/api/v1/index_set/',
      { schema: { tags, querystring: Type.Object({ bk_biz_id: Type.Optional(Type.Integer()) }) } },
      async (req) => {
        const { bk_biz_id } = req.query as { bk_biz_id?: number };
        return ok(await indexSets.list(principalOf(req), bk_biz_id === undefined ? {} : { bkBizId: bk_biz_id }));
      },
    );
    app.post('/api/v1/index_set/', { schema: { tags, body: IndexSetInput } }, async (req, reply) => {
      const created = await indexSets.create(principalOf(req), req.body);
      return reply.status(201).send(ok(created));
    });
    app.get('/api/v1/index_set/:index_set_id/', { schema: { tags, params: IdParams } }, async (req) => {
      const { index_set_id } = req.params as { index_set_id: number };
      return ok(await indexSets.get(principalOf(req), index_set_id));
    });
    app.delete('/api/v1/index_set/:index_set_id/', { schema: { tags, params: IdParams } }, async (req) => {
      const { index_set_id } = req.params as { index_set_id: number };
      const deletedRows = await logs.deleteIndexSet(principalOf(req), index_set_id);
      return ok({ index_set_id, deleted_rows: deletedRows });
    });
  };
}
