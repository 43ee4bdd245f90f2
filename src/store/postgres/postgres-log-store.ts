import { CompiledQuery, type Kysely, sql } from 'kysely';
import { createKysely } from '../../db/create-kysely.ts';
import { runMigrations } from '../../db/run-migrations.ts';
import { AppError } from '../../shared/app-error.ts';
import { checkCutoff, prepareNewRows } from '../append-rows.ts';
import type { IndexSet } from '../index-set.ts';
import type { NewLogRow } from '../log-row.ts';
import type { LogStore, SearchHit, SearchResult, StreamOptions } from '../log-store.ts';
import { type PageBudget, type QueryRunner, runCount, runSearch, runStream, slicesOf } from '../query/run-plan.ts';
import { type RawLogRow, SearchPlan, toLogRow } from '../query/search-plan.ts';
import { SQL_DIALECTS } from '../query/sql-dialect.ts';
import { STORE_MIGRATIONS } from '../schema/store-migrations.ts';
import type { StoreDb } from '../schema/store-db.ts';
import type { SearchRequest } from '../search-request.ts';
import { PartitionManager } from './ensure-partitions.ts';

const appendFailed = (n: number, err: unknown): AppError =>
  new AppError('DEPENDENCY_FAILED', `Appending ${n} rows failed: ${(err as Error).message}`, { cause: err });

/** Rows per INSERT … SELECT FROM unnest(…) statement. */
const INSERT_CHUNK = 5_000;

/** A streamed page row: the page's columns plus the running size {@link budgeted} adds (null when not counted). */
type BudgetedRow = RawLogRow & { logsift_run: string | number | null };

const PAGE_COLUMNS = 'id, index_set_id, ts, ingested_at, message, fields';

/**
 * Wraps a stream page query so PostgreSQL stops the page after the row that brings it to
 * `maxChars` bytes of message and fields: the driver returns a page whole, so 2,000 lines at the
 * 1 MB ingest limit would otherwise be 2 GB in this process.
 *
 * The running size is a window over the LIMITed page (not the whole range); neither it (no ORDER
 * BY of its own) nor the filter above it sorts, so rows keep the page's order. The window spools
 * the page's rows, which cut a 1M-row stream from ~290k to ~220k rows/s, so it runs only for index
 * sets whose largest row (`log_set_sizes`, read in the page's snapshot) could make a page of
 * `rows` rows exceed the budget; the other branch is the page as it is. Both branches are one
 * statement: PostgreSQL evaluates the size check once and skips the branch it rules out.
 */
function budgeted(q: CompiledQuery, indexSetId: number, budget: PageBudget): CompiledQuery {
  const n = q.parameters.length;
  const big = `(SELECT coalesce(max(max_row_bytes), 0) > $${n + 3} FROM log_set_sizes WHERE index_set_id = $${n + 1})`;
  const size = 'octet_length(p.message) + octet_length(p.fields::text)';
  return CompiledQuery.raw(
    `SELECT ${PAGE_COLUMNS}, NULL::bigint AS logsift_run FROM (${q.sql}) p WHERE NOT ${big} ` +
      `UNION ALL SELECT ${PAGE_COLUMNS}, logsift_run FROM (SELECT p.*, ${size} AS logsift_size, ` +
      `sum(${size}) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS logsift_run FROM (${q.sql}) p) b ` +
      `WHERE ${big} AND logsift_run - logsift_size < $${n + 2}`,
    [...q.parameters, indexSetId, budget.maxChars, Math.floor(budget.maxChars / budget.rows)],
  );
}

/**
 * The server store. Ids come from the one-row `logs_state` table, bumped inside the append
 * transaction: its row lock orders concurrent appenders, so ids are assigned in commit order,
 * a batch's ids are contiguous, and `maxId()` (the committed last id) is a safe export cut-off.
 */
export class PostgresLogStore implements LogStore {
  readonly kind = 'postgres';
  private readonly d = SQL_DIALECTS.postgres;
  private readonly partitions: PartitionManager;

  private constructor(private readonly db: Kysely<StoreDb>) {
    this.partitions = new PartitionManager(db);
  }

  /** Runs one index set's queries (a budgeted page needs to know whose rows it reads). */
  private runner(indexSetId: number): QueryRunner {
    const db = this.db;
    return {
      page: async (q, budget) => {
        const raw = (await db.executeQuery<BudgetedRow>(budget === undefined ? q : budgeted(q, indexSetId, budget))).rows;
        const lastRun = raw.at(-1)?.logsift_run;
        // The row that reached the budget may have been the page's last anyway: then the next
        // request just comes back short.
        const cut = budget !== undefined && lastRun !== undefined && lastRun !== null && Number(lastRun) >= budget.maxChars;
        const rows = raw.map(toLogRow);
        return { length: rows.length, last: rows[rows.length - 1], cut, slices: () => slicesOf(rows) };
      },
      value: async (q) => {
        const row = (await db.executeQuery<Record<string, unknown>>(q)).rows[0];
        return row === undefined ? null : Object.values(row)[0];
      },
    };
  }

  /** Connects and migrates. */
  static async open(url: string, poolSize?: number): Promise<PostgresLogStore> {
    const db = createKysely<StoreDb>(poolSize === undefined ? { kind: 'postgres', url } : { kind: 'postgres', url, poolSize });
    try {
      await runMigrations(db as unknown as Kysely<unknown>, 'postgres', 'store', STORE_MIGRATIONS);
    } catch (err) {
      await db.destroy();
      throw err;
    }
    return new PostgresLogStore(db);
  }

  private plan(indexSet: IndexSet, request: SearchRequest): SearchPlan {
    return new SearchPlan(this.d, this.db, indexSet, request);
  }

  async append(indexSet: IndexSet, input: NewLogRow[]): Promise<{ firstId: string; lastId: string } | null> {
    const rows = prepareNewRows(input);
    if (rows.length === 0) return null;
    const ts = rows.map((r) => Math.trunc(r.ts));
    await this.partitions.ensure(ts);
    try {
      return await this.insert(indexSet.id, rows, ts);
    } catch (err) {
      // 23514: no partition for a row — one was dropped behind our cache's back. Re-check once.
      if ((err as { code?: string }).code === '23514') {
        this.partitions.forget();
        await this.partitions.ensure(ts);
        return this.insert(indexSet.id, rows, ts).catch((again: unknown) => {
          throw appendFailed(rows.length, again);
        });
      }
      throw appendFailed(rows.length, err);
    }
  }

  private insert(indexSetId: number, rows: NewLogRow[], ts: number[]): Promise<{ firstId: string; lastId: string }> {
    const now = Date.now();
    return this.db.transaction().execute(async (tx) => {
      const bumped = await sql<{ last_id: string }>`
        UPDATE logs_state SET last_id = last_id + ${rows.length} WHERE singleton = 1 RETURNING last_id`.execute(tx);
      const last = BigInt(bumped.rows[0]?.last_id ?? '0');
      const first = last - BigInt(rows.length) + 1n;
      const fields = rows.map((r) => JSON.stringify(r.fields));
      let largest = 0;
      rows.forEach((r, k) => {
        largest = Math.max(largest, Buffer.byteLength(r.message) + Buffer.byteLength(fields[k]!));
      });
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await sql`
          INSERT INTO logs (id, index_set_id, ts, ingested_at, message, fields)
          SELECT ${String(first + BigInt(i))}::bigint + t.ord - 1, ${indexSetId}::integer, t.ts, ${now}::bigint, t.message, t.fields::jsonb
          FROM unnest(${ts.slice(i, i + INSERT_CHUNK)}::bigint[], ${rows.slice(i, i + INSERT_CHUNK).map((r) => r.message)}::text[],
                      ${fields.slice(i, i + INSERT_CHUNK)}::text[])
               WITH ORDINALITY AS t(ts, message, fields, ord)`.execute(tx);
      }
      await sql`
        INSERT INTO log_set_sizes (index_set_id, max_row_bytes) VALUES (${indexSetId}, ${largest})
        ON CONFLICT (index_set_id) DO UPDATE SET max_row_bytes = greatest(log_set_sizes.max_row_bytes, excluded.max_row_bytes)`.execute(tx);
      return { firstId: String(first), lastId: String(last) };
    });
  }

  async search(indexSet: IndexSet, request: SearchRequest): Promise<SearchResult> {
    return runSearch(this.plan(indexSet, request), this.runner(indexSet.id), request);
  }

  async count(indexSet: IndexSet, request: SearchRequest): Promise<number> {
    return runCount(this.plan(indexSet, request), this.runner(indexSet.id));
  }

  stream(indexSet: IndexSet, request: SearchRequest, options?: StreamOptions): AsyncIterable<SearchHit[]> {
    return runStream(this.plan(indexSet, request), this.runner(indexSet.id), options);
  }

  async maxId(): Promise<string> {
    const row = await this.db.selectFrom('logs_state').select('last_id').where('singleton', '=', 1).executeTakeFirst();
    return String(row?.last_id ?? '0');
  }

  async deleteRows(indexSetId: number, olderThan?: number): Promise<number> {
    checkCutoff(olderThan);
    let q = this.db.deleteFrom('logs').where('index_set_id', '=', indexSetId);
    if (olderThan !== undefined) q = q.where('ts', '<', Math.ceil(olderThan));
    const res = await q.executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
