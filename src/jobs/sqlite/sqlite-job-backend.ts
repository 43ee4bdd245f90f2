import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { createKysely } from '../../db/create-kysely.ts';
import { runMigrations } from '../../db/run-migrations.ts';
import {
  retryDelayMs,
  type ClaimedJob,
  type FailOutcome,
  type JobBackend,
  type NewJob,
  type ScheduleRow,
} from '../job-backend.ts';
import type { JobInfo, ListJobsFilter, QueueName } from '../job-queue.ts';
import { isJobState, sourcesOf, type JobState } from '../job-state.ts';
import { SQLITE_JOB_MIGRATIONS } from './sqlite-job-migrations.ts';

interface JobRow {
  id: string;
  queue: string;
  name: string;
  payload: string;
  state: string;
  priority: number;
  attempt: number;
  retry_limit: number;
  retry_delay_s: number;
  retry_backoff: number;
  timeout_ms: number | null;
  start_after: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  last_error: string | null;
  progress: string | null;
  output: string | null;
}

const json = (v: unknown): string => JSON.stringify(v ?? null);
const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));
/**
 * `state IN (…)` of the compare-and-set into `to`, straight from the transition table. Literals,
 * not parameters, so SQLite can match the partial indexes' `WHERE state IN (…)`.
 */
const from = (to: JobState) => sql`state IN (${sql.join(sourcesOf(to).map((s) => sql.lit(s)))})`;
const PRUNE_EVERY_MS = 120_000;
const RETENTION_MS = (7 * 24 + 12) * 3600_000;
const LEASE_LOST = 'lease expired: the worker stopped renewing it (crashed or hung)';

/**
 * The embedded job store on the SQLite file (WAL + busy_timeout from `createKysely`, so the API
 * process and `logsift worker` processes can share it). SQLite serialises writers, so each claim
 * is a single `UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING`, atomic by construction; all other
 * transitions are compare-and-set on (id, state, attempt), `attempt` being the claim's fencing token.
 */
export class SqliteJobBackend implements JobBackend {
  readonly #db: Kysely<unknown>;
  #prunedAt = 0;

  constructor(file: string) {
    this.#db = createKysely<unknown>({ kind: 'sqlite', file });
  }

  async migrate(): Promise<void> {
    // Processes starting together on one fresh file are serialised by runMigrations itself.
    await runMigrations(this.#db, 'sqlite', 'jobs', SQLITE_JOB_MIGRATIONS);
  }

  async insert(job: NewJob): Promise<string | null> {
    const executor = job.tx ?? this.#db;
    const now = Date.now();
    let startAfter = job.startAt?.getTime() ?? now + job.delayMs;
    let slot: number | null = null;
    if (job.singletonSeconds !== null) slot = Math.floor(now / 1000 / job.singletonSeconds) * job.singletonSeconds;
    for (let round = 0; round < 2; round++) {
      const id = randomUUID();
      const { rows } = await sql<{ id: string }>`
        INSERT INTO logsift_job (id, queue, name, payload, state, priority, retry_limit, retry_delay_s,
          retry_backoff, timeout_ms, singleton_key, singleton_on, start_after, created_at)
        VALUES (${id}, ${job.queue}, ${job.name}, ${json(job.payload)}, 'created', ${job.priority},
          ${job.retryLimit}, ${job.retryDelaySeconds}, ${job.retryBackoff ? 1 : 0}, ${job.timeoutMs},
          ${job.singletonKey}, ${slot}, ${startAfter}, ${now})
        ON CONFLICT DO NOTHING
        RETURNING id`.execute(executor);
      if (rows.length === 1) return id;
      if (!job.singletonNextSlot || slot === null || job.singletonSeconds === null) return null;
      // Debounce: the slot is taken, so defer into the next one (pg-boss's singletonNextSlot).
      slot += job.singletonSeconds;
      startAfter = Math.max(startAfter, slot * 1000);
    }
    return null;
  }

  async claim(queue: QueueName, workerId: string, leaseMs: number, max: number): Promise<ClaimedJob[]> {
    const now = Date.now();
    const { rows } = await sql<JobRow>`
      UPDATE logsift_job
      SET state = 'active', attempt = attempt + 1, started_at = ${now}, finished_at = NULL,
          locked_by = ${workerId}, locked_until = ${now + leaseMs}
      WHERE id IN (
        SELECT id FROM logsift_job
        WHERE queue = ${queue} AND ${from('active')} AND start_after <= ${now}
        ORDER BY priority DESC, created_at, rowid
        LIMIT ${max})
      RETURNING *`.execute(this.#db);
    // RETURNING order is unspecified; hand them out best first.
    rows.sort((a, b) => b.priority - a.priority || a.created_at - b.created_at);
    return rows.map((row) => ({
      id: row.id,
      queue: row.queue as QueueName,
      name: row.name,
      payload: parse(row.payload),
      attempt: row.attempt,
      timeoutMs: row.timeout_ms,
    }));
  }

  async complete(job: ClaimedJob, output: unknown): Promise<boolean> {
    const { numAffectedRows } = await sql`
      UPDATE logsift_job
      SET state = 'completed', finished_at = ${Date.now()}, output = ${json(output)},
          locked_by = NULL, locked_until = NULL
      WHERE id = ${job.id} AND state = 'active' AND attempt = ${job.attempt}`.execute(this.#db);
    return numAffectedRows === 1n;
  }

  async fail(job: ClaimedJob, outcome: FailOutcome): Promise<'retry' | 'failed' | null> {
    const { rows } = await sql<JobRow>`
      SELECT * FROM logsift_job WHERE id = ${job.id} AND state = 'active' AND attempt = ${job.attempt}`.execute(this.#db);
    const row = rows[0];
    if (row === undefined) return null;
    const next = this.#nextAfterFailure(row, outcome.kind, outcome.delayMs);
    const progress = outcome.progress === undefined ? null : json(outcome.progress);
    const { numAffectedRows } = await sql`
      UPDATE logsift_job
      SET state = ${next.state}, start_after = ${next.startAfter}, retry_limit = ${next.retryLimit},
          finished_at = ${next.state === 'failed' ? Date.now() : null}, last_error = ${outcome.message},
          progress = COALESCE(${progress}, progress), locked_by = NULL, locked_until = NULL
      WHERE id = ${job.id} AND state = 'active' AND attempt = ${job.attempt}`.execute(this.#db);
    return numAffectedRows === 1n ? next.state : null;
  }

  async heartbeat(job: ClaimedJob, leaseMs: number, progress: unknown): Promise<boolean> {
    const value = progress === undefined ? null : json(progress);
    const { numAffectedRows } = await sql`
      UPDATE logsift_job SET locked_until = ${Date.now() + leaseMs}, progress = COALESCE(${value}, progress)
      WHERE id = ${job.id} AND state = 'active' AND attempt = ${job.attempt}`.execute(this.#db);
    return numAffectedRows === 1n;
  }

  async sweep(): Promise<number> {
    const now = Date.now();
    const { rows } = await sql<JobRow>`
      SELECT * FROM logsift_job WHERE state = 'active' AND locked_until < ${now}`.execute(this.#db);
    let recovered = 0;
    for (const row of rows) {
      const next = this.#nextAfterFailure(row, 'error');
      const { numAffectedRows } = await sql`
        UPDATE logsift_job
        SET state = ${next.state}, start_after = ${next.startAfter},
            finished_at = ${next.state === 'failed' ? now : null}, last_error = ${LEASE_LOST},
            locked_by = NULL, locked_until = NULL
        WHERE id = ${row.id} AND state = 'active' AND attempt = ${row.attempt} AND locked_until < ${now}`.execute(this.#db);
      if (numAffectedRows === 1n) recovered++;
    }
    if (now - this.#prunedAt > PRUNE_EVERY_MS) {
      this.#prunedAt = now;
      // Same retention as pg-boss's defaults (archive after 12 h, delete after 7 more days).
      await sql`DELETE FROM logsift_job WHERE state IN ('completed', 'failed', 'cancelled')
        AND finished_at < ${now - RETENTION_MS}`.execute(this.#db);
    }
    return recovered;
  }

  async cancel(id: string): Promise<boolean> {
    const { numAffectedRows } = await sql`
      UPDATE logsift_job SET state = 'cancelled', finished_at = ${Date.now()}, locked_by = NULL, locked_until = NULL
      WHERE id = ${id} AND ${from('cancelled')}`.execute(this.#db);
    return numAffectedRows === 1n;
  }

  async get(id: string): Promise<JobInfo | undefined> {
    const { rows } = await sql<JobRow>`SELECT * FROM logsift_job WHERE id = ${id}`.execute(this.#db);
    return rows[0] === undefined ? undefined : toInfo(rows[0]);
  }

  async list(filter: ListJobsFilter & { limit: number; offset: number }): Promise<JobInfo[]> {
    const queue = filter.queue ?? null;
    const state = filter.state ?? null;
    const { rows } = await sql<JobRow>`
      SELECT * FROM logsift_job
      WHERE (${queue} IS NULL OR queue = ${queue}) AND (${state} IS NULL OR state = ${state})
      ORDER BY created_at DESC, rowid DESC
      LIMIT ${filter.limit} OFFSET ${filter.offset}`.execute(this.#db);
    return rows.map(toInfo);
  }

  async upsertSchedule(s: ScheduleRow): Promise<void> {
    await sql`
      INSERT INTO logsift_job_schedule (name, cron, queue, payload, last_run)
      VALUES (${s.name}, ${s.cron}, ${s.queue}, ${json(s.payload)}, ${s.lastRun})
      ON CONFLICT (name) DO UPDATE SET
        queue = excluded.queue, payload = excluded.payload,
        last_run = CASE WHEN logsift_job_schedule.cron = excluded.cron THEN logsift_job_schedule.last_run ELSE excluded.last_run END,
        cron = excluded.cron`.execute(this.#db);
  }

  async deleteSchedule(name: string): Promise<void> {
    await sql`DELETE FROM logsift_job_schedule WHERE name = ${name}`.execute(this.#db);
  }

  async listSchedules(): Promise<ScheduleRow[]> {
    const { rows } = await sql<{ name: string; cron: string; queue: string; payload: string; last_run: number }>`
      SELECT * FROM logsift_job_schedule ORDER BY name`.execute(this.#db);
    return rows.map((r) => ({ name: r.name, cron: r.cron, queue: r.queue as QueueName, payload: parse(r.payload), lastRun: r.last_run }));
  }

  async advanceSchedule(name: string, expectedLastRun: number, tick: number): Promise<boolean> {
    const { numAffectedRows } = await sql`
      UPDATE logsift_job_schedule SET last_run = ${tick}
      WHERE name = ${name} AND last_run = ${expectedLastRun}`.execute(this.#db);
    return numAffectedRows === 1n;
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }

  #nextAfterFailure(row: JobRow, kind: FailOutcome['kind'], laterMs = 0): { state: 'retry' | 'failed'; startAfter: number; retryLimit: number } {
    const now = Date.now();
    if (kind === 'later') return { state: 'retry', startAfter: now + laterMs, retryLimit: row.retry_limit + 1 };
    if (kind === 'unrecoverable' || row.attempt > row.retry_limit) {
      return { state: 'failed', startAfter: row.start_after, retryLimit: row.retry_limit };
    }
    const delay = retryDelayMs(row.retry_delay_s, row.retry_backoff === 1, row.attempt);
    return { state: 'retry', startAfter: now + delay, retryLimit: row.retry_limit };
  }
}

function toInfo(r: JobRow): JobInfo {
  const state: JobState = isJobState(r.state) ? r.state : 'failed';
  return {
    id: r.id,
    queue: r.queue as QueueName,
    name: r.name,
    state,
    priority: r.priority,
    attempt: r.attempt,
    retryLimit: r.retry_limit,
    payload: parse(r.payload),
    createdAt: r.created_at,
    startAfter: r.start_after,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    lastError: r.last_error,
    progress: parse(r.progress),
    output: parse(r.output),
  };
}
