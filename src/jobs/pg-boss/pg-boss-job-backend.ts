import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { ClaimedJob, FailOutcome, JobBackend, NewJob, ScheduleRow } from '../job-backend.ts';
import { QUEUE_NAMES, type JobInfo, type JobTransaction, type ListJobsFilter, type QueueName } from '../job-queue.ts';
import { isJobState, sourcesOf } from '../job-state.ts';
import { PG_SQL, infoSelect, setupSql } from './pg-boss-sql.ts';

/** Our queue `q` is the pg-boss queue `logsift_q`; the job name travels in the data envelope. */
const PREFIX = 'logsift_';
const pgQueue = (q: QueueName): string => `${PREFIX}${q}`;
const ALL_PG_QUEUES = QUEUE_NAMES.map(pgQueue);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAINTENANCE_MS = 120_000;
const LEASE_LOST = 'lease expired: the worker stopped renewing it (crashed or hung)';

/** What we store in pg-boss's `data` column. */
interface Envelope {
  n: string;
  p: unknown;
  t: number | null;
}

interface InfoRow {
  id: string;
  name: string;
  data: Envelope;
  state: string;
  priority: number;
  retry_count: number;
  retry_limit: number;
  output: { value?: unknown; progress?: unknown; error?: string } | null;
  created_at: number;
  start_after: number;
  started_at: number | null;
  finished_at: number | null;
}

const jsonParam = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

/** pg-boss's `db` option: run its statements through the caller's Kysely transaction. */
function txExecutor(tx: JobTransaction): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      const result = await tx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows as unknown[] as never[] };
    },
  };
}

/**
 * `JobBackend` on pg-boss 10 for the scaled-out deployment: N API processes and N `logsift worker`
 * processes on one PostgreSQL database. pg-boss owns the schema (`pgboss`), job creation and the
 * SKIP LOCKED claim; see `pg-boss-sql.ts` for the transitions we add. Cron uses our own
 * `logsift_job_schedule` table (pg-boss's scheduler fires only on whole minutes from its own clock,
 * which the conformance suite cannot drive), so both stores schedule identically.
 */
export class PgBossJobBackend implements JobBackend {
  readonly #boss: PgBoss;
  #maintainedAt = Date.now();

  constructor(url: string, options: { poolSize?: number } = {}) {
    this.#boss = new PgBoss({
      connectionString: url,
      max: options.poolSize ?? 10,
      application_name: 'logsift-jobs',
      schedule: false,
      // pg-boss's supervisor would also expire leases, with its own outcome; `sweep` does that and
      // runs the archiving part itself.
      supervise: false,
      migrate: true,
    });
    this.#boss.on('error', () => {
      // Only raised by pg-boss's own timers, which are off; our calls reject instead.
    });
  }

  async #sql<R>(text: string, values: unknown[] = []): Promise<R[]> {
    const result = await this.#boss.getDb().executeSql(text, values);
    return (result?.rows ?? []) as R[];
  }

  async migrate(): Promise<void> {
    await this.#boss.start();
    const ready = await this.#sql<{ n: string }>(
      `SELECT count(*) AS n FROM pgboss.queue WHERE name = ANY($1::text[])
         AND to_regclass('public.logsift_job_schedule') IS NOT NULL`,
      [ALL_PG_QUEUES],
    );
    if (Number(ready[0]?.n) !== ALL_PG_QUEUES.length) await this.#sql(setupSql(ALL_PG_QUEUES));
  }

  async insert(job: NewJob): Promise<string | null> {
    const data: Envelope = { n: job.name, p: job.payload, t: job.timeoutMs };
    const options: PgBoss.SendOptions = {
      priority: job.priority,
      retryLimit: job.retryLimit,
      retryDelay: job.retryDelaySeconds,
      retryBackoff: job.retryBackoff,
      expireInSeconds: Math.max(1, Math.ceil(job.leaseMs / 1000)),
      ...(job.startAt !== null ? { startAfter: job.startAt } : job.delayMs > 0 ? { startAfter: `${job.delayMs / 1000} seconds` } : {}),
      ...(job.tx !== undefined ? { db: txExecutor(job.tx) } : {}),
    };
    const name = pgQueue(job.queue);
    const key = job.singletonKey ?? undefined;
    if (job.singletonSeconds === null) {
      return this.#boss.send(name, data, key === undefined ? options : { ...options, singletonKey: key });
    }
    return job.singletonNextSlot
      ? this.#boss.sendDebounced(name, data, options, job.singletonSeconds, key as string)
      : this.#boss.sendThrottled(name, data, options, job.singletonSeconds, key as string);
  }

  async claim(queue: QueueName, _workerId: string, leaseMs: number, max: number): Promise<ClaimedJob[]> {
    const jobs = await this.#boss.fetch<Envelope>(pgQueue(queue), { batchSize: max, includeMetadata: true });
    if (jobs.length === 0) return [];
    // The enqueuer chose the first lease; from now on it is this worker's (one statement for the batch).
    await this.#sql(PG_SQL.takeLease, [pgQueue(queue), jobs.map((j) => j.id), leaseMs]);
    jobs.sort((a, b) => b.priority - a.priority || a.createdOn.getTime() - b.createdOn.getTime());
    return jobs.map((job) => ({
      id: job.id,
      queue,
      name: job.data.n,
      payload: job.data.p,
      attempt: job.retryCount + 1,
      timeoutMs: job.data.t,
    }));
  }

  async complete(job: ClaimedJob, output: unknown): Promise<boolean> {
    const rows = await this.#sql(PG_SQL.complete + ' RETURNING 1', [pgQueue(job.queue), job.id, job.attempt - 1, JSON.stringify(output ?? null)]);
    return rows.length === 1;
  }

  async fail(job: ClaimedJob, outcome: FailOutcome): Promise<'retry' | 'failed' | null> {
    const rows = await this.#sql<{ state: 'retry' | 'failed' }>(PG_SQL.fail, [
      pgQueue(job.queue),
      job.id,
      job.attempt - 1,
      outcome.kind,
      outcome.message,
      outcome.delayMs ?? 0,
      jsonParam(outcome.progress),
    ]);
    return rows[0]?.state ?? null;
  }

  async heartbeat(job: ClaimedJob, leaseMs: number, progress: unknown): Promise<boolean> {
    const rows = await this.#sql(PG_SQL.heartbeat + ' RETURNING 1', [pgQueue(job.queue), job.id, job.attempt - 1, leaseMs, jsonParam(progress)]);
    return rows.length === 1;
  }

  async sweep(): Promise<number> {
    const recovered = (await this.#sql(PG_SQL.sweep, [ALL_PG_QUEUES, LEASE_LOST])).length;
    if (Date.now() - this.#maintainedAt > MAINTENANCE_MS) {
      this.#maintainedAt = Date.now();
      // Moves finished jobs to pgboss.archive (after 12 h) and deletes old archive rows (after 7 days).
      await this.#boss.archive();
      await (this.#boss as unknown as { drop(): Promise<void> }).drop();
    }
    return recovered;
  }

  async cancel(id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    return (await this.#sql(PG_SQL.cancel, [ALL_PG_QUEUES, id, sourcesOf('cancelled')])).length === 1;
  }

  async get(id: string): Promise<JobInfo | undefined> {
    if (!UUID.test(id)) return undefined;
    const rows = await this.#sql<InfoRow>(`${infoSelect('name = ANY($1::text[]) AND id = $2')} LIMIT 1`, [ALL_PG_QUEUES, id]);
    return rows[0] === undefined ? undefined : toInfo(rows[0]);
  }

  async list(filter: ListJobsFilter & { limit: number; offset: number }): Promise<JobInfo[]> {
    const queues = filter.queue === undefined ? ALL_PG_QUEUES : [pgQueue(filter.queue)];
    const where = 'name = ANY($1::text[]) AND ($2::text IS NULL OR state::text = $2)';
    const rows = await this.#sql<InfoRow>(
      // created_at is whole milliseconds; jobs sent within one millisecond are ordered by the
      // microsecond timestamp, not by their random ids.
      `SELECT * FROM (${infoSelect(where)}) AS jobs ORDER BY created_order DESC, id DESC LIMIT $3 OFFSET $4`,
      [queues, filter.state ?? null, filter.limit, filter.offset],
    );
    return rows.map(toInfo);
  }

  async upsertSchedule(s: ScheduleRow): Promise<void> {
    await this.#sql(
      `INSERT INTO logsift_job_schedule (name, cron, queue, payload, last_run) VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (name) DO UPDATE SET queue = excluded.queue, payload = excluded.payload,
         last_run = CASE WHEN logsift_job_schedule.cron = excluded.cron THEN logsift_job_schedule.last_run ELSE excluded.last_run END,
         cron = excluded.cron`,
      [s.name, s.cron, s.queue, JSON.stringify(s.payload ?? null), s.lastRun],
    );
  }

  async deleteSchedule(name: string): Promise<void> {
    await this.#sql('DELETE FROM logsift_job_schedule WHERE name = $1', [name]);
  }

  async listSchedules(): Promise<ScheduleRow[]> {
    const rows = await this.#sql<{ name: string; cron: string; queue: QueueName; payload: unknown; last_run: string }>(
      'SELECT name, cron, queue, payload, last_run FROM logsift_job_schedule ORDER BY name',
    );
    return rows.map((r) => ({ name: r.name, cron: r.cron, queue: r.queue, payload: r.payload, lastRun: Number(r.last_run) }));
  }

  async advanceSchedule(name: string, expectedLastRun: number, tick: number): Promise<boolean> {
    const rows = await this.#sql('UPDATE logsift_job_schedule SET last_run = $3 WHERE name = $1 AND last_run = $2 RETURNING 1', [name, expectedLastRun, tick]);
    return rows.length === 1;
  }

  async close(): Promise<void> {
    await this.#boss.stop({ graceful: false, close: true, wait: true });
  }
}

function toInfo(r: InfoRow): JobInfo {
  const out = r.output ?? {};
  return {
    id: r.id,
    queue: r.name.slice(PREFIX.length) as QueueName,
    name: r.data.n,
    state: isJobState(r.state) ? r.state : 'failed',
    priority: r.priority,
    // retry_count only grows on re-fetch, so a never-started job is 0 and a running first attempt is 1.
    attempt: r.started_at === null ? 0 : r.retry_count + 1,
    retryLimit: r.retry_limit,
    payload: r.data.p,
    createdAt: r.created_at,
    startAfter: r.start_after,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    lastError: out.error ?? null,
    progress: out.progress ?? null,
    output: out.value ?? null,
  };
}
