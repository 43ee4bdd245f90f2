import type { IndexSet } from './index-set.ts';
import type { LogRow, NewLogRow } from './log-row.ts';
import type { SearchRequest } from './search-request.ts';

export interface SearchHit {
  row: LogRow;
  /** Cursor values for this row (sort fields then id); pass as `searchAfter` to continue after it. */
  sort: Array<string | number | boolean | null>;
}

export interface SearchResult {
  hits: SearchHit[];
  /**
   * Rows matching the request (ignoring size/searchAfter), counted up to the request's
   * `trackTotalHits` cap (default {@link DEFAULT_TRACK_TOTAL_HITS}); 0 when counting is off.
   */
  total: number;
  /** False when counting stopped at the cap (there are at least `total` rows) or was off. */
  totalIsExact: boolean;
}

/**
 * Like Elasticsearch's `track_total_hits`: exact totals over millions of rows that match a
 * keyword cost a full scan, so search() counts up to this many unless asked otherwise.
 * `count()` is always exact.
 */
export const DEFAULT_TRACK_TOTAL_HITS = 10_000;

export interface StreamOptions {
  /** Rows per page fetched from the store. */
  pageSize?: number;
  signal?: AbortSignal;
}

/**
 * The log store port: where rows live and how they are searched.
 * Implementations: SQLite (embedded default) and PostgreSQL. Both pass
 * `log-store.conformance.ts`. Validation errors are AppErrors (UNKNOWN_FIELD, BAD_QUERY,
 * BAD_TIME_RANGE) thrown before any I/O.
 */
export interface LogStore {
  readonly kind: string;
  /**
   * Appends rows in order, atomically; returns the ids of the first and last row (a batch's ids
   * are contiguous and above every id committed before). Null for an empty batch. On SQLite the
   * insert runs synchronously on the caller's thread: keep batches to a few thousand rows
   * (~10–20 ms) so the event loop stays responsive.
   */
  append(indexSet: IndexSet, rows: NewLogRow[]): Promise<{ firstId: string; lastId: string } | null>;
  search(indexSet: IndexSet, request: SearchRequest): Promise<SearchResult>;
  count(indexSet: IndexSet, request: SearchRequest): Promise<number>;
  /**
   * Streams every matching row in sort order, page by page with keyset paging, in constant memory.
   * `request.size` is ignored; `request.searchAfter` resumes after a checkpoint.
   */
  stream(indexSet: IndexSet, request: SearchRequest, options?: StreamOptions): AsyncIterable<SearchHit[]>;
  /** The highest row id stored so far ("0" when empty): the export cut-off. */
  maxId(): Promise<string>;
  /** Deletes rows older than the cut-off (retention) or all rows of an index set. */
  deleteRows(indexSetId: number, olderThan?: number): Promise<number>;
  close(): Promise<void>;
}
