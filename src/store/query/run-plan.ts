import type { CompiledQuery } from 'kysely';
import { AppError } from '../../shared/app-error.ts';
import type { SearchHit, SearchResult, StreamOptions } from '../log-store.ts';
import type { SearchRequest } from '../search-request.ts';
import type { LogRow } from '../log-row.ts';
import { type SearchPlan, countCap } from './search-plan.ts';

/** A page of rows as it arrived from the store, its last row already decoded. */
export interface FetchedPage {
  /** Rows in the page. */
  length: number;
  /** The last row, decoded on its own first so the next page can be requested while the rest is decoded. */
  last: LogRow | undefined;
  /** The store stopped the page at its size budget: rows may follow although `length` is short. */
  cut: boolean;
  /**
   * The rows in order, in slices of up to {@link ROW_SLICE}, each decoded only when reached.
   * Iterate once.
   */
  slices(): Iterable<LogRow[]>;
}

/**
 * Rows decoded and handed on at a time: ~1 ms of main-thread work, so a page never blocks the
 * event loop long, and a slice's objects are garbage before the next slice is decoded. Short-lived
 * objects die in V8's young generation; a whole page kept alive while it is consumed would be
 * promoted, and the old generation would grow by the export's throughput between collections.
 */
export const ROW_SLICE = 250;

/** The rows of `rows` in {@link ROW_SLICE} slices. */
export function* slicesOf(rows: LogRow[]): Iterable<LogRow[]> {
  for (let i = 0; i < rows.length; i += ROW_SLICE) yield rows.slice(i, i + ROW_SLICE);
}

/** A streamed page's size budget: stop after the row that reaches `maxChars`; the page asks for `rows` rows. */
export interface PageBudget {
  maxChars: number;
  rows: number;
}

/** Executes compiled queries: each store supplies one (worker pool, pg pool). */
export interface QueryRunner {
  /**
   * Runs a {@link SearchPlan.page} query. With a budget, the store stops the page early once its
   * rows reach about `maxChars` characters (and says so in `cut`); streams use it, searches do not.
   */
  page(q: CompiledQuery, budget?: PageBudget): Promise<FetchedPage>;
  /** First column of the first row. */
  value(q: CompiledQuery): Promise<unknown>;
}

export const DEFAULT_STREAM_PAGE = 2_000;

/**
 * A streamed page stops at about this many characters of row JSON even before `pageSize` rows:
 * 2,000 typical rows are well under 1 MB, but 2,000 lines at the 1 MB ingest limit would be 2 GB.
 */
export const STREAM_PAGE_CHARS = 32 * 1024 * 1024;

/** One page plus the total (counted concurrently, up to the request's cap). */
export async function runSearch(plan: SearchPlan, runner: QueryRunner, request: SearchRequest): Promise<SearchResult> {
  const cap = countCap(request.trackTotalHits);
  const [raw, counted] = await Promise.all([
    plan.size === 0 ? Promise.resolve([]) : runner.page(plan.page(plan.cursor, plan.size)).then((p) => [...p.slices()].flat()),
    cap === false ? Promise.resolve(0) : runner.value(plan.count(cap === undefined ? undefined : cap + 1)),
  ]);
  const n = Number(counted);
  const hits = raw.map((r) => plan.hit(r));
  if (cap === false) return { hits, total: 0, totalIsExact: false };
  if (cap !== undefined && n > cap) return { hits, total: cap, totalIsExact: false };
  return { hits, total: n, totalIsExact: true };
}

export async function runCount(plan: SearchPlan, runner: QueryRunner): Promise<number> {
  return Number(await runner.value(plan.count(undefined)));
}

/**
 * Keyset pages until a short page. The next page is requested as soon as the current one
 * arrives (from its last row, decoded first), so the store reads the next page while this one
 * is decoded and consumed; memory stays at two pages, only one slice of them decoded at a time.
 * Yields one array of hits per {@link ROW_SLICE} slice.
 */
export async function* runStream(plan: SearchPlan, runner: QueryRunner, options: StreamOptions = {}): AsyncIterable<SearchHit[]> {
  const pageSize = options.pageSize ?? DEFAULT_STREAM_PAGE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100_000) {
    throw new AppError('VALIDATION_FAILED', 'pageSize must be an integer from 1 to 100000', { details: { pageSize } });
  }
  const fetch = (cursor: ReturnType<SearchPlan['cursorAfter']> | undefined): Promise<FetchedPage> => {
    const page = runner.page(plan.page(cursor, pageSize), { maxChars: STREAM_PAGE_CHARS, rows: pageSize });
    // An unconsumed prefetch must not surface as an unhandled rejection.
    page.catch(() => {});
    return page;
  };
  let next: Promise<FetchedPage> | null = fetch(plan.cursor);
  while (next !== null) {
    const page: FetchedPage = await next;
    const lastHit = page.last === undefined ? undefined : plan.hit(page.last);
    next = (page.length === pageSize || page.cut) && lastHit !== undefined ? fetch(plan.cursorAfter(lastHit)) : null;
    let first = true;
    for (const rows of page.slices()) {
      // A turn of the event loop between slices: streams are long, and the consumer may be synchronous.
      if (!first) await new Promise((r) => setImmediate(r));
      first = false;
      // Aborting ends the stream quietly: the caller asked for it.
      if (options.signal?.aborted === true) return;
      if (rows.length > 0) yield rows.map((row) => plan.hit(row));
    }
    if (options.signal?.aborted === true) return;
  }
}
