import { createHash } from 'node:crypto';

/**
 * Our own statements on pg-boss 10's tables (`pgboss.job` is partitioned by queue name, so every
 * statement names the queue for partition pruning). pg-boss itself does creation (`send`, with
 * singleton/throttle/debounce), claiming (`fetch`, FOR UPDATE SKIP LOCKED) and archiving; these add
 * what it lacks: fencing on the claim (`retry_count` grows on every fetch, so it is the attempt
 * token), lease renewal (`expire_in` stretched so `started_on + expire_in` moves forward), progress,
 * and "retry later". Output column layout: `{ value?, progress?, error? }`.
 * @internal
 */

/** Next state of a failing active job: $4 kind ('error' | 'unrecoverable' | 'later'). */
const NEXT_STATE = `CASE
    WHEN $4 = 'unrecoverable' THEN 'failed'
    WHEN $4 = 'later' OR j.retry_count < j.retry_limit THEN 'retry'
    ELSE 'failed' END`;

/** pg-boss's own retry delay formula (failJobs), so retries back off alike in both stores. */
export const BACKOFF_SECONDS = `CASE WHEN NOT j.retry_backoff THEN j.retry_delay::float8
    ELSE j.retry_delay * 2 ^ LEAST(16, j.retry_count + 1) / 2 * (1 + random()) END`;

export const PG_SQL = {
  /** $1 queue, $2 id, $3 retry_count of the claim, $4 output value (jsonb). */
  complete: `
    UPDATE pgboss.job SET state = 'completed', completed_on = now(),
      output = COALESCE(output, '{}'::jsonb) || jsonb_build_object('value', $4::jsonb)
    WHERE name = $1 AND id = $2 AND state = 'active' AND retry_count = $3`,

  /** $1 queue, $2 id, $3 retry_count, $4 kind, $5 message, $6 later delay ms, $7 progress (jsonb or null). */
  fail: `
    WITH cur AS (
      SELECT j.name, j.id, (${NEXT_STATE})::pgboss.job_state AS next, ${BACKOFF_SECONDS} AS backoff
      FROM pgboss.job j
      WHERE j.name = $1 AND j.id = $2 AND j.state = 'active' AND j.retry_count = $3
      FOR UPDATE)
    UPDATE pgboss.job j SET
      state = cur.next,
      retry_limit = j.retry_limit + CASE WHEN $4 = 'later' THEN 1 ELSE 0 END,
      start_after = CASE
        WHEN cur.next = 'failed' THEN j.start_after
        WHEN $4 = 'later' THEN now() + $6::float8 * interval '1 millisecond'
        ELSE now() + cur.backoff * interval '1 second' END,
      completed_on = CASE WHEN cur.next = 'failed' THEN now() ELSE NULL END,
      output = COALESCE(j.output, '{}'::jsonb) || jsonb_build_object('error', $5::text)
        || CASE WHEN $7::jsonb IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('progress', $7::jsonb) END
    FROM cur
    WHERE j.name = cur.name AND j.id = cur.id
    RETURNING j.state`,

  /** $1 queue, $2 id, $3 retry_count, $4 lease ms, $5 progress (jsonb or null). */
  heartbeat: `
    UPDATE pgboss.job SET
      expire_in = (now() - started_on) + $4::float8 * interval '1 millisecond',
      output = CASE WHEN $5::jsonb IS NULL THEN output
        ELSE COALESCE(output, '{}'::jsonb) || jsonb_build_object('progress', $5::jsonb) END
    WHERE name = $1 AND id = $2 AND state = 'active' AND retry_count = $3`,

  /** $1 queue, $2 ids just fetched, $3 lease ms. */
  takeLease: `
    UPDATE pgboss.job SET expire_in = (now() - started_on) + $3::float8 * interval '1 millisecond'
    WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`,

  /** $1 queue names, $2 message. Same outcome as a failed attempt; SKIP LOCKED so sweepers never queue up. */
  sweep: `
    WITH cur AS (
      SELECT j.name, j.id,
        (CASE WHEN j.retry_count < j.retry_limit THEN 'retry' ELSE 'failed' END)::pgboss.job_state AS next,
        ${BACKOFF_SECONDS} AS backoff
      FROM pgboss.job j
      WHERE j.name = ANY($1::text[]) AND j.state = 'active' AND j.started_on + j.expire_in < now()
      FOR UPDATE SKIP LOCKED)
    UPDATE pgboss.job j SET
      state = cur.next,
      start_after = CASE WHEN cur.next = 'failed' THEN j.start_after ELSE now() + cur.backoff * interval '1 second' END,
      completed_on = CASE WHEN cur.next = 'failed' THEN now() ELSE NULL END,
      output = COALESCE(j.output, '{}'::jsonb) || jsonb_build_object('error', $2::text)
    FROM cur
    WHERE j.name = cur.name AND j.id = cur.id
    RETURNING j.id`,

  /** $1 queue names, $2 id, $3 the states cancel may start from (`sourcesOf('cancelled')`). */
  cancel: `
    UPDATE pgboss.job SET state = 'cancelled', completed_on = now()
    WHERE name = ANY($1::text[]) AND id = $2 AND state = ANY($3::pgboss.job_state[])
    RETURNING id`,
} as const;

const INFO_COLUMNS = `id::text, name, data, state::text, priority, retry_count, retry_limit, output,
  floor(extract(epoch FROM created_on) * 1000)::float8 AS created_at,
  floor(extract(epoch FROM start_after) * 1000)::float8 AS start_after,
  floor(extract(epoch FROM started_on) * 1000)::float8 AS started_at,
  floor(extract(epoch FROM completed_on) * 1000)::float8 AS finished_at,
  created_on AS created_order`;

/** Live jobs and archived ones (pg-boss moves finished jobs to `pgboss.archive` after a while). */
export function infoSelect(where: string): string {
  return `SELECT ${INFO_COLUMNS} FROM pgboss.job WHERE ${where}
    UNION ALL SELECT ${INFO_COLUMNS} FROM pgboss.archive WHERE ${where}`;
}

/**
 * Creates our pg-boss queues, our schedule table and a partial unique index per queue partition
 * for plain singleton keys, all in ONE transaction under an advisory lock: pg-boss's
 * `create_queue` attaches a partition to `pgboss.job`, and processes starting together deadlock
 * on that otherwise. Queue names are our constants, so inlining them is safe; the partition name
 * is pg-boss's own derivation (`'j' || sha224(name)`).
 */
export function setupSql(queues: readonly string[]): string {
  const statements = queues.flatMap((q) => {
    const partition = `j${createHash('sha224').update(q).digest('hex')}`;
    return [
      `SELECT pgboss.create_queue('${q}', '{"policy":"standard"}'::json)`,
      `CREATE UNIQUE INDEX IF NOT EXISTS ${partition.slice(0, 40)}_ls_singleton ON pgboss.${partition} (name, singleton_key)
        WHERE singleton_key IS NOT NULL AND singleton_on IS NULL AND state < 'completed'`,
      // The jobs page lists newest first.
      `CREATE INDEX IF NOT EXISTS ${partition.slice(0, 40)}_ls_created ON pgboss.${partition} (created_on)`,
    ];
  });
  return [
    'BEGIN',
    "SELECT pg_advisory_xact_lock(hashtext('logsift.jobs.setup'))",
    ...statements,
    `CREATE TABLE IF NOT EXISTS logsift_job_schedule (
      name text PRIMARY KEY, cron text NOT NULL, queue text NOT NULL, payload jsonb NOT NULL, last_run bigint NOT NULL)`,
    'COMMIT',
  ].join(';\n');
}
