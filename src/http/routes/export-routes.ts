import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ExportService } from '../../export/export-service.ts';
import { AppError } from '../../shared/app-error.ts';
import { contentDisposition } from '../../storage/content-disposition.ts';
import { ok } from '../envelope.ts';
import { principalOf } from '../plugins/auth.ts';
import {
  HistoryQuery, type HistoryQueryType, SingleExportBody, type SingleExportBodyType, snakeKeys, toCreateExportInput,
  UnionExportBody, type UnionExportBodyType,
} from './export-schemas.ts';

const tags = ['export'];
const IndexSetParams = Type.Object({ index_set_id: Type.Integer({ minimum: 1 }) });
const TaskParams = Type.Object({ task_id: Type.Integer({ minimum: 1 }) });

function historyQuery(q: HistoryQueryType) {
  return {
    bkBizId: q.bk_biz_id, showAll: q.show_all, page: q.page, pageSize: q.pagesize,
    ...(q.start_time === undefined ? {} : { startTime: q.start_time }),
    ...(q.end_time === undefined ? {} : { endTime: q.end_time }),
  };
}

function parseIdList(raw: string): number[] {
  const ids = raw.split(',').map((s) => Number(s.trim()));
  if (ids.length === 0 || ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
    throw new AppError('VALIDATION_FAILED', 'index_set_ids must be a comma-separated list of ids, e.g. "146,147"');
  }
  return ids;
}

/** bk-log's export routes (same paths, bodies and envelope) plus status, cancel and retry. */
export function exportRoutes(exports: ExportService) {
  return (app: FastifyInstance): void => {
    for (const [path, quick] of [['async_export', false], ['quick_export', true]] as const) {
      app.post(`/api/v1/search/index_set/:index_set_id/${path}/`, { schema: { tags, params: IndexSetParams, body: SingleExportBody } }, async (req) => {
        const { index_set_id } = req.params as { index_set_id: number };
        const body = req.body as SingleExportBodyType;
        const input = toCreateExportInput(body, [index_set_id], quick);
        if (body.sort_list !== undefined) input.sortMappings = { [index_set_id]: body.sort_list };
        const created = await exports.create(input, principalOf(req));
        return ok({ task_id: created.taskId, prompt: created.prompt, duplicate: created.duplicate });
      });
    }
    app.post('/api/v1/search/index_set/union_async_export/', { schema: { tags, body: UnionExportBody } }, async (req) => {
      const body = req.body as UnionExportBodyType;
      const ids = [...new Set(body.union_configs.map((c) => c.index_set_id))].sort((a, b) => a - b);
      const input = toCreateExportInput(body, ids, body.is_quick_export === true);
      const sorts: Record<number, NonNullable<SingleExportBodyType['sort_list']>> = {};
      for (const c of body.union_configs) if (c.sort_list !== undefined) sorts[c.index_set_id] = c.sort_list;
      if (Object.keys(sorts).length > 0) input.sortMappings = sorts;
      const created = await exports.create(input, principalOf(req));
      return ok({ task_id: created.taskId, prompt: created.prompt, duplicate: created.duplicate });
    });
    app.get('/api/v1/search/index_set/:index_set_id/export_history/', { schema: { tags, params: IndexSetParams, querystring: HistoryQuery } }, async (req) => {
      const { index_set_id } = req.params as { index_set_id: number };
      const page = await exports.history({ ...historyQuery(req.query as HistoryQueryType), indexSetId: index_set_id }, principalOf(req));
      return ok({ total: page.total, list: page.list.map(snakeKeys) });
    });
    app.get(
      '/api/v1/search/index_set/union_search/export_history/',
      { schema: { tags, querystring: Type.Intersect([HistoryQuery, Type.Object({ index_set_ids: Type.String() })]) } },
      async (req) => {
        const q = req.query as HistoryQueryType & { index_set_ids: string };
        const page = await exports.history({ ...historyQuery(q), unionIndexSetIds: parseIdList(q.index_set_ids) }, principalOf(req));
        return ok({ total: page.total, list: page.list.map(snakeKeys) });
      },
    );
    app.get(
      '/api/v1/search/index_set/async_export/download_file/',
      { schema: { tags, querystring: Type.Object({ task_id: Type.Integer({ minimum: 1 }), bk_biz_id: Type.Optional(Type.Integer()) }) } },
      async (req, reply) => {
        const link = await exports.downloadLink((req.query as { task_id: number }).task_id, principalOf(req));
        return reply.redirect(link.url, 302);
      },
    );
    app.get(
      '/api/v1/export/download/',
      { config: { public: true }, schema: { tags, security: [], description: 'Streams an archive; the HMAC-signed, expiring token is the credential.', querystring: Type.Object({ token: Type.String({ minLength: 1, maxLength: 2048 }) }) } },
      async (req, reply) => {
        const file = await exports.openSignedDownload((req.query as { token: string }).token);
        void reply.header('content-type', 'application/gzip').header('content-length', String(file.size)).header('content-disposition', contentDisposition(file.fileName));
        return reply.send(file.stream);
      },
    );
    app.post('/api/v1/search/index_set/:index_set_id/export/', { schema: { tags, params: IndexSetParams, body: SingleExportBody } }, async (req, reply) => {
      const { index_set_id } = req.params as { index_set_id: number };
      const sync = await exports.exportSync(toCreateExportInput(req.body as SingleExportBodyType, [index_set_id], false), principalOf(req));
      void reply.header('content-type', sync.contentType).header('content-disposition', contentDisposition(sync.fileName));
      void reply.header('x-logsift-rows', String(sync.rows)).header('x-logsift-truncated', String(sync.truncated));
      return reply.send(Readable.from(sync.body));
    });
    app.get('/api/v1/export/tasks/:task_id/', { schema: { tags, params: TaskParams } }, async (req) => {
      return ok(snakeKeys(await exports.get((req.params as { task_id: number }).task_id, principalOf(req))));
    });
    app.post('/api/v1/export/tasks/:task_id/cancel/', { schema: { tags, params: TaskParams } }, async (req) => {
      return ok(snakeKeys(await exports.cancel((req.params as { task_id: number }).task_id, principalOf(req))));
    });
    app.post('/api/v1/export/tasks/:task_id/retry/', { schema: { tags, params: TaskParams } }, async (req) => {
      const created = await exports.retry((req.params as { task_id: number }).task_id, principalOf(req));
      return ok({ task_id: created.taskId, prompt: created.prompt });
    });
  };
}
