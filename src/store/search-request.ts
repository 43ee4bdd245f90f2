/**
 * bk-log's search request, in logsift's own camelCase form. The HTTP layer maps bk-log's
 * snake_case body (`start_time`, `addition`, `sort_list`, `search_after`) onto this.
 */
export const FILTER_OPERATORS = [
  'is', 'is not', 'contains', 'not contains', '>', '<', '>=', '<=', 'is one of',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface FieldFilter {
  field: string;
  operator: FilterOperator;
  /** A list for `is one of`; a scalar otherwise. */
  value: string | number | boolean | Array<string | number | boolean>;
}

export type SortOrder = 'asc' | 'desc';

export interface SearchRequest {
  /** Inclusive start, epoch ms. */
  startTime: number;
  /** Inclusive end, epoch ms. Must be >= startTime. */
  endTime: number;
  /** Lucene-like query (`level:error AND "time out"`); empty or `*` matches everything. */
  query?: string;
  addition?: FieldFilter[];
  /** Default: time descending. The row id is always appended as a unique tiebreaker. */
  sortList?: Array<[field: string, order: SortOrder]>;
  /** Page size; default 100, max 10 000. */
  size?: number;
  /** Keyset cursor: the `sort` values of the last row of the previous page, as returned. */
  searchAfter?: Array<string | number | boolean | null>;
  /** Restrict returned fields (message and time are always returned). */
  fields?: string[];
  /**
   * How far search() counts the total: true = exact, false = not at all, a number = a cap
   * (default 10 000, see DEFAULT_TRACK_TOTAL_HITS). Ignored by count() and stream().
   */
  trackTotalHits?: boolean | number;
  /** Only rows with id <= maxId (the export cut-off: rows ingested after the task are excluded). */
  maxId?: string;
}
