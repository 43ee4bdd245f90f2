import { createHash } from 'node:crypto';
import type { Principal } from '../accounts/principal.ts';
import { AppError } from '../shared/app-error.ts';
import type { IndexSet } from '../store/index-set.ts';
import type { LogStore } from '../store/log-store.ts';
import type { SearchRequest } from '../store/search-request.ts';
import { compileDesensitizer, wantsRawData } from './desensitize.ts';
import type { ExportDeps } from './export-deps.ts';
import type { CreateExportInput, SortList } from './export-types.ts';
import { isExportFormat, type ExportFormat } from './formats/export-format.ts';
import { resolveExportColumns } from './formats/export-columns.ts';
import { createRowEncoder } from './formats/format-registry.ts';

/** A validated request: what is stored in `request_param` and replayed by retry. */
export interface NormalizedExportInput {
  indexSetIds: number[];
  search: { startTime: number; endTime: number; query: string; addition: NonNullable<CreateExportInput['search']['addition']> };
  format: ExportFormat;
  fields: string[];
  quick: boolean;
  timeZone: string;
  isDesensitize: boolean;
  sortMappings: Record<string, SortList>;
  language: 'zh' | 'en';
}

export interface PreparedExport {
  input: NormalizedExportInput;
  indexSets: IndexSet[];
  bkBizId: number;
  raw: boolean;
  maxId: string;
  /** Matching rows per index set at the cut-off. */
  counts: number[];
  total: number;
  fingerprint: string;
}

const bad = (message: string, field: string): AppError => new AppError('VALIDATION_FAILED', message, { details: { field } });

function normalize(input: CreateExportInput): NormalizedExportInput {
  if (typeof input !== 'object' || input === null) throw bad('the export request must be an object', 'body');
  const ids = input.indexSetIds;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => Number.isSafeInteger(id))) {
    throw bad('indexSetIds must be a non-empty list of integers', 'indexSetIds');
  }
  if (new Set(ids).size !== ids.length) throw bad('indexSetIds lists an index set twice', 'indexSetIds');
  const s = input.search as Partial<CreateExportInput['search']> | undefined;
  if (typeof s !== 'object' || s === null) throw bad('search is required', 'search');
  if (typeof s.startTime !== 'number' || typeof s.endTime !== 'number' || !Number.isFinite(s.startTime) || !Number.isFinite(s.endTime)) {
    throw new AppError('BAD_TIME_RANGE', 'startTime and endTime must be epoch milliseconds', { details: { field: 'search' } });
  }
  if (s.endTime < s.startTime) throw new AppError('BAD_TIME_RANGE', 'endTime is before startTime', { details: { field: 'search' } });
  const format = input.format ?? 'log';
  if (!isExportFormat(format)) throw bad(`format must be one of log, csv, json`, 'format');
  const fields = input.fields ?? [];
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string')) throw bad('fields must be a list of names', 'fields');
  const sortMappings: Record<string, SortList> = {};
  for (const [key, list] of Object.entries(input.sortMappings ?? {})) {
    if (!ids.includes(Number(key))) throw bad(`sortMappings names index set ${key}, which is not exported`, 'sortMappings');
    if (!Array.isArray(list)) throw bad('a sort mapping must be a list of [field, order]', 'sortMappings');
    sortMappings[key] = list;
  }
  return {
    indexSetIds: [...ids].sort((a, b) => a - b),
    search: { startTime: Math.trunc(s.startTime), endTime: Math.trunc(s.endTime), query: s.query ?? '', addition: s.addition ?? [] },
    format,
    fields,
    quick: input.quick === true,
    timeZone: input.timeZone === undefined || input.timeZone === '' ? 'UTC' : input.timeZone,
    isDesensitize: input.isDesensitize !== false,
    sortMappings,
    language: input.language === 'zh' ? 'zh' : 'en',
  };
}

/** The sort an index set is exported in: the request's mapping, else its sortFields descending (bk-log ASYNC_SORTED). */
export function exportSortList(indexSet: IndexSet, mappings: Record<string, SortList>): SortList {
  const mapped = mappings[String(indexSet.id)];
  if (mapped !== undefined && mapped.length > 0) return mapped;
  const fields = indexSet.sortFields.length > 0 ? indexSet.sortFields : [indexSet.timeField];
  return fields.map((f) => [f, 'desc']);
}

/** The store request of one index set (without cursor). */
export function storeRequest(input: NormalizedExportInput, indexSet: IndexSet, maxId: string): SearchRequest {
  return {
    startTime: input.search.startTime,
    endTime: input.search.endTime,
    query: input.search.query,
    addition: input.search.addition,
    sortList: exportSortList(indexSet, input.sortMappings),
    maxId,
  };
}

/** Stable hash of what decides an export's content: the duplicate guard's key. */
function fingerprintOf(input: NormalizedExportInput, raw: boolean): string {
  const { language: _language, ...content } = input;
  return createHash('sha256').update(JSON.stringify({ ...content, raw })).digest('hex');
}

/**
 * Validates a request completely before anything is written: index sets visible (else 404),
 * format, time zone, fields (UNKNOWN_FIELD), masking rules, sort fields, query and time range
 * (the store's own validation via a count at the cut-off).
 */
export async function prepareExport(
  deps: Pick<ExportDeps, 'indexSets'> & { store: LogStore },
  raw: CreateExportInput,
  principal: Principal,
): Promise<PreparedExport> {
  const input = normalize(raw);
  const indexSets: IndexSet[] = [];
  for (const id of input.indexSetIds) indexSets.push(await deps.indexSets.get(principal, id));
  const bkBizId = indexSets[0]!.bkBizId;
  if (indexSets.some((s) => s.bkBizId !== bkBizId)) throw bad('a union export must stay within one business', 'indexSetIds');
  const skipMasking = wantsRawData(input.isDesensitize, principal.role === 'admin');
  for (const set of indexSets) {
    const columns = resolveExportColumns(set, input.fields);
    createRowEncoder(input.format, { columns, timeZone: input.timeZone });
    compileDesensitizer(set.desensitizeRules, { messageField: set.messageField, timeField: set.timeField, raw: skipMasking });
  }
  const maxId = await deps.store.maxId();
  const counts = await Promise.all(indexSets.map((set) => deps.store.count(set, storeRequest(input, set, maxId))));
  // count() ignores the sort; a stream plan validates it (fields, orders) before any I/O.
  for (const set of indexSets) deps.store.stream(set, { ...storeRequest(input, set, maxId), size: 1 });
  return {
    input,
    indexSets,
    bkBizId,
    raw: skipMasking,
    maxId,
    counts,
    total: counts.reduce((a, b) => a + b, 0),
    fingerprint: fingerprintOf(input, skipMasking),
  };
}

/** bk-log's prompt: ceil(rows / 10000 × 1/3) minutes (at least 1), notified by e-mail. */
export function waitPrompt(rows: number, language: 'zh' | 'en'): string {
  const minutes = Math.max(1, Math.ceil((rows / 10_000) * (1 / 3)));
  return language === 'zh'
    ? `任务提交成功，预估等待时间${minutes}分钟，系统处理后将通过邮件通知，请留意！`
    : `Task submitted, estimated wait ${minutes} min; you will be notified by e-mail.`;
}
