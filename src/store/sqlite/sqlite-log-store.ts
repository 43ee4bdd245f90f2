import Database from 'better-sqlite3';
import { type CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { availableParallelism } from 'node:os';
import { runMigrations } from '../../db/run-migrations.ts';
import { AppError } from '../../shared/app-error.ts';
import { checkCutoff, prepareNewRows } from '../append-rows.ts';
import type { IndexSet } from '../index-set.ts';
import type { LogRow, NewLogRow } from '../log-row.ts';
import type { LogStore, SearchHit, SearchResult, StreamOptions } from '../log-store.ts';
import { type FetchedPage, type QueryRunner, ROW_SLICE, runCount, runSearch, runStream } from '../query/run-plan.ts';
import { SearchPlan } from '../query/search-plan.ts';
import { SQL_DIALECTS } from '../query/sql-dialect.ts';
import { STORE_MIGRATIONS } from '../schema/store-migrations.ts';
import type { StoreDb } from '../schema/store-db.ts';
import type { SearchRequest } from '../search-request.ts';
import { InlineReader, type Reader, WorkerReader } from './read-pool.ts';
import { PAGE_BUDGET_FUNCTION, type RowArrays } from './read-executor.js';

export interface SqliteLogStoreOptions {
  /** Read worker threads (default: min(2, cores)). */
  readers?: number;
}

const DELETE_CHUNK = 10_000;

/**
 * Wraps a page query so SQLite renders the whole page as one BLOB (laid out as read-executor.js
 * describes), each row as LogRow JSON. `fields` is stored as `JSON.stringify` text (one line), so
 * it is spliced in, not re-parsed. With a budget, the page stops after the row that brings it to
 * `maxChars` bytes. Measured: building the page in C beats materialising rows in the worker, and
 * JSON.parse on the main thread costs about a third of deserialising structured-cloned row objects.
 */
function rowsAsJson(pageSql: string, budgeted: boolean): string {
  const row = `'{"id":"' || id || '","indexSetId":' || index_set_id || ',"ts":' || ts || ',"ingestedAt":' || ingested_at || ',"message":' || json_quote(message) || ',"fields":' || fields || '}'`;
  const budget = budgeted ? ` WHERE ${PAGE_BUDGET_FUNCTION}(octet_length(message) + octet_length(fields))` : '';
  return `SELECT CAST('[' || group_concat(${row}, char(10, 10, 10)) || ']' AS BLOB) FROM (${pageSql})${budget}`;
}

/**
 * Frees a consumed page's memory now. The page's ArrayBuffer may have been promoted to V8's old
 * generation while its rows were consumed, and then its half megabyte outside the heap waits for
 * a full collection: at hundreds of pages a second that made a full collection every ~100 ms.
 * Moving the memory into a new ArrayBuffer that dies at once lets the next scavenge free it.
 */
function releaseBuffer(buffer: ArrayBuffer): void {
  if (buffer.byteLength > 0) structuredClone(buffer, { transfer: [buffer] });
}

/**
 * Decodes the worker's JSON arrays of {@link ROW_SLICE} rows as they are iterated. The last row is
 * read on its own at once, for the next page's cursor: decoding its whole slice up front would keep
 * that slice alive while the page is consumed, long enough for V8 to promote it to the old generation.
 */
function decodePage({ text, ends, rows, lastStart, cut }: RowArrays): FetchedPage {
  const bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  const parse = (i: number): LogRow[] => JSON.parse(bytes.toString('utf8', i === 0 ? 0 : ends[i - 1]! + 1, ends[i])) as LogRow[];
  return {
    length: rows,
    last: rows === 0 ? undefined : (JSON.parse(bytes.toString('utf8', lastStart, bytes.length - 1)) as LogRow),
    cut,
    *slices() {
      try {
        for (let i = 0; i < ends.length; i++) yield parse(i);
      } finally {
        releaseBuffer(text.buffer as ArrayBuffer);
      }
    },
  };
}

/**
 * The embedded store. The main thread owns the one writer connection (appends are one
 * synchronous transaction each: callers should pass batches of a few thousand rows, ~10 ms);
 * every search, count and stream runs on worker threads with read-only connections (WAL), so
 * a long read never blocks the event loop.
 */
export class SqliteLogStore implements LogStore {
  readonly kind = 'sqlite';
  private readonly d = SQL_DIALECTS.sqlite;
  private readonly runner: QueryRunner;
  private readonly insert: Database.Statement<[number, number, number, number, string, string]>;
  private readonly appendTx: (indexSetId: number, rows: NewLogRow[], now: number) => { first: number; last: number };

  private constructor(
    private readonly writer: Database.Database,
    private readonly db: Kysely<StoreDb>,
    private readonly reader: Reader,
  ) {
    this.insert = writer.prepare('INSERT INTO logs (index_set_id, ts, id, ingested_at, message, fields) VALUES (?, ?, ?, ?, ?, ?)');
    const bump = writer.prepare('UPDATE logs_state SET last_id = last_id + ? WHERE singleton = 1 RETURNING last_id').pluck();
    const tx = writer.transaction((indexSetId: number, rows: NewLogRow[], now: number) => {
      const last = bump.get(rows.length) as number;
      const first = last - rows.length + 1;
      let id = first;
      // JSON.stringify text has no raw newline: rowsAsJson splices it into pages as it is.
      for (const r of rows) this.insert.run(indexSetId, Math.trunc(r.ts), id++, now, r.message, JSON.stringify(r.fields));
      return { first, last };
    });
    // IMMEDIATE: hold the write lock from the id bump on, so another process cannot interleave.
    this.appendTx = tx.immediate;
    const toParams = (q: CompiledQuery): unknown[] => [...q.parameters];
    this.runner = {
      page: async (q, budget) => {
        const op = { sql: rowsAsJson(q.sql, budget !== undefined), params: toParams(q), mode: 'rows', chunk: ROW_SLICE, maxChars: budget?.maxChars } as const;
        return decodePage(await reader.run<RowArrays>(op));
      },
      value: (q) => reader.run<unknown>({ sql: q.sql, params: toParams(q), mode: 'value' }),
    };
  }

  /** Opens (creating and migrating if needed) the SQLite file and starts the read workers. */
  static async open(file: string, options: SqliteLogStoreOptions = {}): Promise<SqliteLogStore> {
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('synchronous = NORMAL');
    writer.pragma('busy_timeout = 5000');
    const db = new Kysely<StoreDb>({ dialect: new SqliteDialect({ database: writer }) });
    try {
      await runMigrations(db as unknown as Kysely<unknown>, 'sqlite', 'store', STORE_MIGRATIONS);
    } catch (err) {
      await db.destroy();
      throw err;
    }
    const inMemory = file === ':memory:' || file === '';
    const readers = options.readers ?? Math.min(2, availableParallelism());
    const reader = inMemory ? new InlineReader(writer) : new WorkerReader(file, readers);
    return new SqliteLogStore(writer, db, reader);
  }

  private plan(indexSet: IndexSet, request: SearchRequest): SearchPlan {
    return new SearchPlan(this.d, this.db, indexSet, request);
  }

  async append(indexSet: IndexSet, input: NewLogRow[]): Promise<{ firstId: string; lastId: string } | null> {
    const rows = prepareNewRows(input);
    if (rows.length === 0) return null;
    try {
      const { first, last } = this.appendTx(indexSet.id, rows, Date.now());
      return { firstId: String(first), lastId: String(last) };
    } catch (err) {
      throw new AppError('INTERNAL', `Appending ${rows.length} rows failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async search(indexSet: IndexSet, request: SearchRequest): Promise<SearchResult> {
    return runSearch(this.plan(indexSet, request), this.runner, request);
  }

  async count(indexSet: IndexSet, request: SearchRequest): Promise<number> {
    return runCount(this.plan(indexSet, request), this.runner);
  }

  stream(indexSet: IndexSet, request: SearchRequest, options?: StreamOptions): AsyncIterable<SearchHit[]> {
    // Validate now, not on first iteration, so bad requests fail where they are made.
    return runStream(this.plan(indexSet, request), this.runner, options);
  }

  async maxId(): Promise<string> {
    const last = this.writer.prepare('SELECT last_id FROM logs_state WHERE singleton = 1').pluck().get() as number | undefined;
    return String(last ?? 0);
  }

  /** Deletes in chunks, yielding between them, so retention on a big index set keeps the event loop moving. */
  async deleteRows(indexSetId: number, olderThan?: number): Promise<number> {
    checkCutoff(olderThan);
    const stmt = olderThan === undefined
      ? this.writer.prepare('DELETE FROM logs WHERE (index_set_id, ts, id) IN (SELECT index_set_id, ts, id FROM logs WHERE index_set_id = ? LIMIT ?)')
      : this.writer.prepare('DELETE FROM logs WHERE (index_set_id, ts, id) IN (SELECT index_set_id, ts, id FROM logs WHERE index_set_id = ? AND ts < ? LIMIT ?)');
    const args = olderThan === undefined ? [indexSetId] : [indexSetId, Math.ceil(olderThan)];
    let total = 0;
    for (;;) {
      const n = stmt.run(...args, DELETE_CHUNK).changes;
      total += n;
      if (n < DELETE_CHUNK) return total;
      await new Promise((r) => setImmediate(r));
    }
  }

  async close(): Promise<void> {
    await this.reader.close();
    await this.db.destroy();
  }
}
