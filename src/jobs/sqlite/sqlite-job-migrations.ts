import { sql } from 'kysely';
import type { VersionedMigration } from '../../db/run-migrations.ts';

/**
 * Tables of the embedded job store (component `jobs`). Times are epoch milliseconds.
 * - `logsift_job_singleton`: at most one live (created/retry/active) job per (queue, key) — the
 *   plain singleton key. Throttle/debounce rows carry a slot (`singleton_on`) and use
 *   `logsift_job_throttle` instead, as pg-boss's `job_i4` does.
 * - `logsift_job_fetch` serves the claim query; `logsift_job_lease` the sweeper.
 * Every statement is `IF NOT EXISTS`: Kysely takes no migration lock on SQLite and its DDL is not
 * transactional, so processes starting together on a fresh file may run this concurrently
 * (`SqliteJobBackend.migrate` retries the loser of the bookkeeping insert).
 */
export const SQLITE_JOB_MIGRATIONS: Record<string, VersionedMigration> = {
  '0001_jobs': {
    async up(db) {
      await sql`CREATE TABLE IF NOT EXISTS logsift_job (
        id TEXT PRIMARY KEY,
        queue TEXT NOT NULL,
        name TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('created','retry','active','completed','cancelled','failed')),
        priority INTEGER NOT NULL DEFAULT 0,
        attempt INTEGER NOT NULL DEFAULT 0,
        retry_limit INTEGER NOT NULL,
        retry_delay_s INTEGER NOT NULL,
        retry_backoff INTEGER NOT NULL,
        timeout_ms INTEGER,
        singleton_key TEXT,
        singleton_on INTEGER,
        start_after INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        locked_by TEXT,
        locked_until INTEGER,
        last_error TEXT,
        progress TEXT,
        output TEXT
      )`.execute(db);
      await sql`CREATE INDEX IF NOT EXISTS logsift_job_fetch ON logsift_job (queue, priority DESC, created_at)
        WHERE state IN ('created','retry')`.execute(db);
      await sql`CREATE UNIQUE INDEX IF NOT EXISTS logsift_job_singleton ON logsift_job (queue, singleton_key)
        WHERE singleton_key IS NOT NULL AND singleton_on IS NULL AND state IN ('created','retry','active')`.execute(db);
      await sql`CREATE UNIQUE INDEX IF NOT EXISTS logsift_job_throttle ON logsift_job (queue, singleton_on, COALESCE(singleton_key, ''))
        WHERE singleton_on IS NOT NULL AND state <> 'cancelled'`.execute(db);
      await sql`CREATE INDEX IF NOT EXISTS logsift_job_lease ON logsift_job (locked_until) WHERE state = 'active'`.execute(db);
      await sql`CREATE INDEX IF NOT EXISTS logsift_job_list ON logsift_job (created_at)`.execute(db);
      await sql`CREATE TABLE IF NOT EXISTS logsift_job_schedule (
        name TEXT PRIMARY KEY,
        cron TEXT NOT NULL,
        queue TEXT NOT NULL,
        payload TEXT NOT NULL,
        last_run INTEGER NOT NULL
      )`.execute(db);
    },
  },
};
