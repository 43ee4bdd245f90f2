import { Type } from '@sinclair/typebox';
import { EXPORT_FORMATS } from '../../export/formats/export-format.ts';
import type { CreateExportInput } from '../../export/export-types.ts';
import { FILTER_OPERATORS } from '../../store/search-request.ts';
import { checkTimeZone, parseTimeParam } from '../time-param.ts';

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const TimeValue = Type.Union([Type.String(), Type.Number()]);
const SortList = Type.Array(Type.Tuple([Type.String(), Type.Union([Type.Literal('asc'), Type.Literal('desc')])]));

/** Fields shared by bk-log's single and union export bodies (SearchExportSerializer). */
const CommonExportFields = {
  bk_biz_id: Type.Integer({ minimum: 1 }),
  keyword: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  start_time: TimeValue,
  end_time: TimeValue,
  time_zone: Type.Optional(Type.String({ description: 'IANA zone for zone-less times and for times in the files (default UTC)' })),
  addition: Type.Optional(
    Type.Array(Type.Object({ field: Type.String(), operator: Type.Union(FILTER_OPERATORS.map((o) => Type.Literal(o))), value: Type.Union([Scalar, Type.Array(Scalar)]) })),
  ),
  begin: Type.Optional(Type.Integer({ minimum: 0 })),
  size: Type.Optional(Type.Integer({ minimum: 1 })),
  export_fields: Type.Optional(Type.Array(Type.String())),
  is_desensitize: Type.Optional(Type.Boolean({ default: true, description: 'false is honoured for admins only' })),
  file_type: Type.Optional(Type.Union(EXPORT_FORMATS.map((f) => Type.Literal(f)), { default: 'log' })),
  sort_list: Type.Optional(SortList),
  language: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])),
};

export const SingleExportBody = Type.Object(CommonExportFields);
export type SingleExportBodyType = typeof SingleExportBody.static;

export const UnionExportBody = Type.Object({
  ...CommonExportFields,
  union_configs: Type.Array(
    Type.Object({ index_set_id: Type.Integer({ minimum: 1 }), begin: Type.Optional(Type.Integer()), is_desensitize: Type.Optional(Type.Boolean()), sort_list: Type.Optional(SortList) }),
    { minItems: 1 },
  ),
  is_quick_export: Type.Optional(Type.Boolean({ default: false })),
});
export type UnionExportBodyType = typeof UnionExportBody.static;

export const HistoryQuery = Type.Object({
  bk_biz_id: Type.Integer({ minimum: 1 }),
  page: Type.Integer({ minimum: 1 }),
  pagesize: Type.Integer({ minimum: 1, maximum: 1000 }),
  show_all: Type.Boolean(),
  start_time: Type.Optional(Type.Integer({ description: 'epoch ms, filters created_at >=' })),
  end_time: Type.Optional(Type.Integer({ description: 'epoch ms, filters created_at <=' })),
});
export type HistoryQueryType = typeof HistoryQuery.static;

/** Maps a bk-log export body onto the service's input; bad times and zones are 400s here. */
export function toCreateExportInput(body: SingleExportBodyType, indexSetIds: number[], quick: boolean): CreateExportInput {
  const zone = checkTimeZone(body.time_zone === undefined || body.time_zone === '' ? 'UTC' : body.time_zone);
  const keyword = body.keyword ?? '';
  return {
    indexSetIds,
    search: {
      startTime: parseTimeParam('start_time', body.start_time, zone),
      endTime: parseTimeParam('end_time', body.end_time, zone),
      ...(keyword.trim() === '' ? {} : { query: keyword }),
      ...(body.addition === undefined ? {} : { addition: body.addition }),
    },
    format: body.file_type ?? 'log',
    quick,
    timeZone: zone,
    isDesensitize: body.is_desensitize !== false,
    ...(body.export_fields === undefined || body.export_fields.length === 0 ? {} : { fields: body.export_fields }),
    ...(body.language === undefined ? {} : { language: body.language }),
  };
}

/** bk-log's front end reads snake_case; the service speaks camelCase. */
export function snakeKeys(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}
