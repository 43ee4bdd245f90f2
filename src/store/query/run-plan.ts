import type { CompiledQuery } from 'kysely';
import { AppError } from '../../shared/app-error.ts';
import type { SearchHit, SearchResult, StreamOptions } from '../log-store.ts';
import type { SearchRequest } from '../search-request.ts';
import type { LogRow } from '../log-row.ts';
import { type SearchPlan, countCap } from './search-plan.ts';

/** Executes compiled queries: each store supplies one (worker pool, pg pool). */
export interface QueryRunner {
  /** Runs a {@link SearchPlan.page} query and maps its rows. */
  rows(q: CompiledQuery): Promise<LogRow[]>;
  /** First column of the first row. */
  value(q: CompiledQuery): Promise<unknown>;
}

export const DEFAULT_STREAM_PAGE = 2_000;
const HIT_CHUNK = 1_000;

/** One page plus the total (counted concurrently, up to the request's cap). */
export async function runSearch(plan: SearchPlan, runner: QueryRunner, request: SearchRequest): Promise<SearchResult> {
  const cap = countCap(request.trackTotalHits);
  const [raw, counted] = await Promise.all([
    plan.size === 0 ? Promise.resolve([]) : runner.rows(plan.page(plan.cursor, plan.size)),
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
 * arrives, so the store reads while the consumer works; memory stays at two pages.
 */
export async function* runStream(plan: SearchPlan, runner: QueryRunner, options: StreamOptions = {}): AsyncIterable<SearchHit[]> {
  const pageSize = options.pageSize ?? DEFAULT_STREAM_PAGE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100_000) {
    throw new AppError('VALIDATION_FAILED', 'pageSize must be an integer from 1 to 100000', { details: { pageSize } });
  }
  const fetch = async (cursor: ReturnType<SearchPlan['cursorAfter']> | undefined): Promise<SearchHit[]> => {
    const rows = await runner.rows(plan.page(cursor, pageSize));
    const hits: SearchHit[] = [];
    // Mapped in slices with event-loop turns between, like the parsing: streams are long.
    for (let i = 0; i < rows.length; i += HIT_CHUNK) {
      if (i > 0) await new Promise((r) => setImmediate(r));
      for (const r of rows.slice(i, i + HIT_CHUNK)) hits.push(plan.hit(r));
    }
    return hits;
  };
  let next: Promise<SearchHit[]> | null = fetch(plan.cursor);
  while (next !== null) {
    const hits: SearchHit[] = await next;
    const last = hits[hits.length - 1];
    next = hits.length === pageSize && last !== undefined ? fetch(plan.cursorAfter(last)) : null;
    // An unconsumed prefetch must not surface as an unhandled rejection.
    next?.catch(() => {});
    // Aborting ends the stream quietly: the caller asked for it.
    if (options.signal?.aborted === true) return;
    if (hits.length > 0) yield hits;
  }
}
