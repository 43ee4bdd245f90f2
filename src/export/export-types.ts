import type { Readable } from 'node:stream';
import type { FieldFilter, SortOrder } from '../store/search-request.ts';
import type { ExportFormat } from './formats/export-format.ts';
import type { ExportStatus } from './export-status.ts';

/** bk-log's `export_type`: `async` (queued worker job) or `sync` (streamed at once, history only). */
export const EXPORT_TYPES = ['async', 'sync'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

/** bk-log's `index_set_type`. */
export const INDEX_SET_TYPES = ['single', 'union'] as const;
export type IndexSetType = (typeof INDEX_SET_TYPES)[number];

/** The search part of an export request (logsift's SearchRequest without paging). */
export interface ExportSearch {
  /** Inclusive, epoch ms. */
  startTime: number;
  /** Inclusive, epoch ms. */
  endTime: number;
  query?: string;
  addition?: FieldFilter[];
}

export type SortList = Array<[field: string, order: SortOrder]>;

/** What `create` / `exportSync` take (the HTTP layer maps bk-log's snake_case body onto it). */
export interface CreateExportInput {
  /** One id = single export; several = union export (bk-log `union_configs`). */
  indexSetIds: number[];
  search: ExportSearch;
  /** Default `log` (NDJSON). */
  format?: ExportFormat;
  /** bk-log `export_fields`; empty/absent = all fields. Applied per index set in a union. */
  fields?: string[];
  /** bk-log `quick_export`: parallel time-window slices, each its own part. */
  quick?: boolean;
  /** IANA zone for formatted times; default `UTC`. */
  timeZone?: string;
  /** bk-log `is_desensitize` (default true); false is honoured only for admins. */
  isDesensitize?: boolean;
  /** Per-index-set sort (union's `sort_fields_mappings`); default: the index set's sortFields, desc. */
  sortMappings?: Record<number, SortList>;
  /** Mail language; default `en`. */
  language?: 'zh' | 'en';
}

/** Response of create (bk-log `{task_id, prompt}`). */
export interface CreateExportResult {
  taskId: number;
  /** "Task submitted, estimated wait N min; you will be notified by e-mail." */
  prompt: string;
  /** True when an identical export of the same user was still running and is returned instead. */
  duplicate: boolean;
}

/** One task as history/get show it, bk-log's field names in camelCase. */
export interface ExportTaskView {
  id: number;
  /** The validated request as stored (bk-log `search_dict`). */
  searchDict: unknown;
  indexSetType: IndexSetType;
  indexSetId: number | null;
  indexSetIds: number[];
  startTime: number;
  endTime: number;
  exportType: ExportType;
  format: ExportFormat;
  /** The stored status; history shows `data_expired` instead when the data aged out (never stored). */
  exportStatus: ExportStatus | 'data_expired';
  /** bk-log's wire form: NULL for `queued`. */
  bklogStatus: string | null;
  errorMsg: string | null;
  exportPkgName: string | null;
  /** MiB, 2 decimals, min 0.01 (bk-log); null until packaged. */
  exportPkgSize: number | null;
  fileSizeBytes: number | null;
  exportCreatedAt: string;
  exportCreatedBy: string;
  exportCompletedAt: string | null;
  exportedCount: number;
  exportTotalCount: number;
  downloadCount: number;
  downloadAble: boolean;
  retryAble: boolean;
  warnings: string[];
  notifyError: string | null;
  isDesensitize: boolean;
  timeZone: string;
  quick: boolean;
}

export interface HistoryQuery {
  bkBizId: number;
  /** Single history for this index set (ignored with showAll). */
  indexSetId?: number;
  /** Union history for exactly these index sets (ignored with showAll). */
  unionIndexSetIds?: number[];
  /** true: every task of the business (of the chosen type). */
  showAll: boolean;
  /** created_at window, epoch ms inclusive (bk-log sends ms). */
  startTime?: number;
  endTime?: number;
  /** 1-based. */
  page: number;
  /** Capped at 1000 (bk-log). */
  pageSize: number;
}

export interface HistoryPage {
  total: number;
  list: ExportTaskView[];
}

/** How the HTTP layer answers a download click. */
export type DownloadLink = { kind: 'redirect'; url: string };

/** A verified signed download: stream it as `attachment; filename=fileName`. */
export interface SignedDownload {
  stream: Readable;
  fileName: string;
  size: number;
}

/** The synchronous export: body streamed at once, a `sync` history row recorded. */
export interface SyncExport {
  taskId: number;
  /** Rows matching at the cut-off; more than `rows` means the body stops at the cap. */
  matchingRows: number;
  /** Rows the body holds (min of matching and the cap). */
  rows: number;
  /** True when the cap cut the result: tell the user (e.g. a response header); use an async export for all rows. */
  truncated: boolean;
  fileName: string;
  contentType: string;
  body: AsyncIterable<Buffer>;
}
