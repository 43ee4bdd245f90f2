import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { canAccessBiz, systemPrincipal, type Principal } from '../accounts/principal.ts';
import { runMigrations } from '../db/run-migrations.ts';
import { AppError } from '../shared/app-error.ts';
import { compileDesensitizer } from './desensitize.ts';
import { signDownloadToken, verifyDownloadToken } from './download-token.ts';
import { limitsOf, type ExportDeps, type ExportLimits } from './export-deps.ts';
import { EXPORT_JOB_NAME, type ExportJobPayload } from './export-job-name.ts';
import { EXPORT_MIGRATIONS } from './export-migrations.ts';
import { exportSortList, prepareExport, storeRequest, waitPrompt, type NormalizedExportInput, type PreparedExport } from './export-request.ts';
import { isTerminalStatus, RUNNING_EXPORT_STATUSES } from './export-status.ts';
import type { ExportTables } from './export-tables.ts';
import { ExportTaskRepository, type ExportTask } from './export-task-repository.ts';
import type {
  CreateExportInput, CreateExportResult, DownloadLink, ExportTaskView, HistoryPage, HistoryQuery, SignedDownload, SyncExport,
} from './export-types.ts';
import { toView } from './export-view.ts';
import { resolveExportColumns } from './formats/export-columns.ts';
import { encodeRows } from './formats/encode-stream.ts';
import { createRowEncoder } from './formats/format-registry.ts';
import { exportBaseName } from './packaging/export-file-names.ts';

const RUNNING: readonly string[] = RUNNING_EXPORT_STATUSES;

/** The signed local-storage download path (the HTTP layer serves it with `openSignedDownload`). */
export const SIGNED_DOWNLOAD_PATH = '/api/v1/export/download/';
/** bk-log's authenticated download-redirect endpoint; the mail links here. */
export const DOWNLOAD_REDIRECT_PATH = '/api/v1/search/index_set/async_export/download_file/';

/**
 * The export feature's request side. Every call takes the acting Principal. Tasks of other users
 * answer NOT_FOUND (creator or admin only), so task ids cannot be probed.
 */
export class ExportService {
  private readonly repo: ExportTaskRepository;
  private readonly db: Kysely<ExportTables>;
  private readonly limits: ExportLimits;
  private readonly clock: () => Date;

  constructor(private readonly deps: ExportDeps) {
    this.db = deps.db as unknown as Kysely<ExportTables>;
    this.clock = deps.clock ?? (() => new Date());
    this.repo = new ExportTaskRepository(this.db, this.clock);
    this.limits = limitsOf(deps);
  }

  /** Creates or upgrades the `export` tables. */
  async migrate(): Promise<void> {
    await runMigrations(this.deps.db, this.deps.dialect, 'export', EXPORT_MIGRATIONS);
  }

  /**
   * Validates (404 for unknown/invisible index sets, UNKNOWN_FIELD, BAD_TIME_RANGE, BAD_QUERY…),
   * counts at the id cut-off, then in ONE transaction: locks the user's row, applies the duplicate
   * guard (an identical running export of the same user is returned with `duplicate: true`), the
   * per-user running limit (TOO_MANY_REQUESTS), inserts the task and enqueues its job.
   */
  async create(input: CreateExportInput, principal: Principal): Promise<CreateExportResult> {
    const prepared = await prepareExport({ indexSets: this.deps.indexSets, store: this.deps.store }, input, principal);
    const limit = this.deps.perUserRunningLimit;
    const now = this.clock().toISOString();
    const exportTotal = Math.min(prepared.total, this.limits.maxRows);
    const result = await this.db.transaction().execute(async (tx) => {
      const running = await this.repo.lockUserAndListRunning(tx, principal.username);
      const same = running.find((t) => t.fingerprint === prepared.fingerprint);
      if (same !== undefined) return { taskId: same.id, duplicate: true };
      if (running.length >= limit) {
        throw new AppError('TOO_MANY_REQUESTS', `at most ${limit} export tasks may run concurrently`, {
          details: { limit, running: running.length },
        });
      }
      const taskId = await this.repo.insert(this.newRow(prepared, principal, 'async', 'queued', now, exportTotal), tx);
      const payload: ExportJobPayload = { taskId, maxAttempts: this.limits.maxAttempts };
      const jobId = await this.deps.jobs.enqueue('async_export', EXPORT_JOB_NAME, payload, {
        tx,
        retryLimit: this.limits.maxAttempts - 1,
        retryDelaySeconds: 5,
        singletonKey: `export-${taskId}`,
      });
      if (jobId !== null) await this.repo.setJobId(taskId, jobId, tx);
      return { taskId, duplicate: false };
    });
    this.deps.logger.info({ taskId: result.taskId, user: principal.username, duplicate: result.duplicate }, 'export created');
    return { ...result, prompt: waitPrompt(exportTotal, prepared.input.language) };
  }

  private newRow(p: PreparedExport, principal: Principal, type: 'async' | 'sync', status: 'queued' | 'success', now: string, total: number) {
    const single = p.indexSets.length === 1;
    const sorted: Record<string, unknown> = {};
    for (const set of p.indexSets) sorted[String(set.id)] = exportSortList(set, p.input.sortMappings);
    return {
      request_param: JSON.stringify(p.input),
      sorted_param: JSON.stringify(sorted),
      scenario_id: 'log',
      index_set_id: single ? p.indexSets[0]!.id : null,
      index_set_ids: JSON.stringify(p.input.indexSetIds),
      index_set_type: single ? 'single' : 'union',
      export_type: type,
      status,
      created_by: principal.username,
      created_at: now,
      updated_at: now,
      completed_at: status === 'success' ? now : null,
      export_total_count: total,
      bk_biz_id: p.bkBizId,
      is_desensitize: p.input.isDesensitize ? 1 : 0,
      raw: p.raw ? 1 : 0,
      time_zone: p.input.timeZone,
      format: p.input.format,
      fields: JSON.stringify(p.input.fields),
      quick: p.input.quick ? 1 : 0,
      start_time: p.input.search.startTime,
      end_time: p.input.search.endTime,
      max_id: p.maxId,
      checkpoint: JSON.stringify({ baseName: exportBaseName({ indexSetId: single ? p.indexSets[0]!.id : null }), matching: p.total, caps: { rows: this.limits.maxRows, bytes: this.limits.maxBytes }, streams: {} }),
      fingerprint: p.fingerprint,
      language: p.input.language,
    };
  }

  /** The task if the principal created it or is an admin; NOT_FOUND otherwise. */
  private async owned(taskId: number, principal: Principal): Promise<ExportTask> {
    const task = await this.repo.get(taskId);
    if (task === undefined || (principal.role !== 'admin' && task.createdBy !== principal.username)) {
      throw new AppError('NOT_FOUND', `export task ${taskId} does not exist`);
    }
    return task;
  }

  async get(taskId: number, principal: Principal): Promise<ExportTaskView> {
    const task = await this.owned(taskId, principal);
    return toView(task, await this.retentionDays([task]), this.clock());
  }

  /** bk-log §1.9 history with `retry_able` and the computed `data_expired`. */
  async history(q: HistoryQuery, principal: Principal): Promise<HistoryPage> {
    if (!Number.isInteger(q.bkBizId) || !canAccessBiz(principal, q.bkBizId)) {
      throw new AppError('FORBIDDEN', `You are not a member of business ${q.bkBizId}`);
    }
    const union = q.unionIndexSetIds !== undefined;
    if (!q.showAll && q.indexSetId !== undefined) await this.deps.indexSets.get(principal, q.indexSetId);
    const page = Math.max(1, Math.trunc(q.page || 1));
    const pageSize = Math.min(1000, Math.max(1, Math.trunc(q.pageSize || 10)));
    const { total, rows } = await this.repo.history({
      bkBizId: q.bkBizId,
      indexSetType: union ? 'union' : 'single',
      ...(!q.showAll && !union && q.indexSetId !== undefined ? { indexSetId: q.indexSetId } : {}),
      ...(!q.showAll && union ? { indexSetIds: JSON.stringify([...q.unionIndexSetIds!].sort((a, b) => a - b)) } : {}),
      ...(q.startTime !== undefined ? { createdFrom: new Date(q.startTime).toISOString() } : {}),
      ...(q.endTime !== undefined ? { createdTo: new Date(q.endTime).toISOString() } : {}),
      offset: (page - 1) * pageSize,
      limit: pageSize,
    });
    const retention = await this.retentionDays(rows);
    return { total, list: rows.map((t) => toView(t, retention, this.clock())) };
  }

  /** Retention days per index set id (deleted index sets have none). */
  private async retentionDays(tasks: ExportTask[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    const ids = new Set(tasks.flatMap((t) => t.indexSetIds));
    for (const id of ids) {
      try {
        out.set(id, (await this.deps.indexSets.get(systemPrincipal(), id)).retentionDays);
      } catch {
        // A deleted index set: no retention known, so bk-log counts the task retry-able.
      }
    }
    return out;
  }

  /**
   * Cancels a queued or running export: status `cancelled` (reason stored in failed_reason), the
   * job is cancelled (its signal aborts the worker), partial files are removed.
   */
  async cancel(taskId: number, principal: Principal): Promise<ExportTaskView> {
    for (let attempt = 0; ; attempt++) {
      const task = await this.owned(taskId, principal);
      if (!RUNNING.includes(task.status)) {
        throw new AppError('CONFLICT', `export ${taskId} is ${task.status} and cannot be cancelled`, { details: { status: task.status } });
      }
      try {
        await this.repo.transition(taskId, task.status, 'cancelled', { failed_reason: `cancelled by ${principal.username}` });
      } catch (err) {
        if (err instanceof AppError && err.code === 'STATE_CONFLICT' && attempt < 5) continue;
        throw err;
      }
      if (task.jobId !== null) await this.deps.jobs.cancel(task.jobId);
      await rm(join(this.deps.workDir, `task-${taskId}`), { recursive: true, force: true });
      return this.get(taskId, principal);
    }
  }

  /** Re-submits a finished task's request as a new task (bk-log's front end did this) if retry_able. */
  async retry(taskId: number, principal: Principal): Promise<CreateExportResult> {
    const view = await this.get(taskId, principal);
    if (!view.retryAble) throw new AppError('CONFLICT', `the data of export ${taskId} has expired`, { details: { status: 'data_expired' } });
    if (!isTerminalStatus(view.exportStatus === 'data_expired' ? 'failed' : view.exportStatus)) {
      throw new AppError('CONFLICT', `export ${taskId} is still running`);
    }
    return this.create(view.searchDict as CreateExportInput, principal);
  }

  /**
   * bk-log's download-redirect endpoint: the caller must be the creator or an admin (else 404),
   * the task must be `success` (else CONFLICT), `download_count` is incremented, and the answer
   * is a short-lived URL: S3 presigned, or logsift's own signed URL for local storage.
   */
  async downloadLink(taskId: number, principal: Principal): Promise<DownloadLink> {
    const task = await this.owned(taskId, principal);
    if (task.status !== 'success' || task.objectKey === null || task.fileName === null) {
      throw new AppError('CONFLICT', `export ${taskId} is not downloadable (${task.status})`, { details: { status: task.status } });
    }
    if (!(await this.repo.countDownload(taskId))) throw new AppError('CONFLICT', `export ${taskId} is no longer downloadable`);
    const seconds = this.limits.downloadUrlSeconds;
    const target = await this.deps.storage.downloadUrl(task.objectKey, { expiresInSeconds: seconds, filename: task.fileName });
    if (target.kind === 'redirect') return target;
    const token = signDownloadToken(
      { taskId, userId: String(principal.userId), expiresAt: this.clock().getTime() + seconds * 1000 },
      this.deps.downloadSecret,
    );
    return { kind: 'redirect', url: `${this.deps.publicUrl.replace(/\/+$/, '')}${SIGNED_DOWNLOAD_PATH}?token=${token}` };
  }

  /** Serves a signed local download: BAD_TOKEN (401) for a forged or expired token, NOT_FOUND once the file is gone. */
  async openSignedDownload(token: string): Promise<SignedDownload> {
    const payload = verifyDownloadToken(token, this.deps.downloadSecret, this.clock().getTime());
    const task = await this.repo.get(payload.taskId);
    if (task === undefined || task.status !== 'success' || task.objectKey === null || task.fileName === null) {
      throw new AppError('NOT_FOUND', `export ${payload.taskId} is not downloadable`);
    }
    const info = await this.deps.storage.stat(task.objectKey);
    if (info === null) throw new AppError('NOT_FOUND', `the file of export ${payload.taskId} is gone`);
    return { stream: await this.deps.storage.get(task.objectKey), fileName: task.fileName, size: info.size };
  }

  /**
   * bk-log's synchronous `export`: streams the rows at once (at most `syncMaxRows`, default
   * 10,000) and records a `sync` history row. A union is supported for the `log` format only
   * (NDJSON concatenates; CSV/JSON columns differ per index set).
   */
  async exportSync(input: CreateExportInput, principal: Principal): Promise<SyncExport> {
    const prepared = await prepareExport({ indexSets: this.deps.indexSets, store: this.deps.store }, input, principal);
    const { input: req, indexSets } = prepared;
    if (indexSets.length > 1 && req.format !== 'log') throw new AppError('VALIDATION_FAILED', 'a union sync export supports the log format only');
    const cap = this.limits.syncMaxRows;
    const exported = Math.min(prepared.total, cap);
    const now = this.clock().toISOString();
    const taskId = await this.repo.insert({ ...this.newRow(prepared, principal, 'sync', 'success', now, exported), status: 'success' });
    await this.db.updateTable('export_task').set({ exported_count: exported }).where('id', '=', taskId).execute();
    const encoder = (i: number) =>
      createRowEncoder(req.format, { columns: resolveExportColumns(indexSets[i]!, req.fields), timeZone: req.timeZone });
    const first = encoder(0);
    const base = exportBaseName({ indexSetId: indexSets.length === 1 ? indexSets[0]!.id : null });
    return {
      taskId, fileName: `${base}.${first.extension}`, contentType: first.contentType,
      matchingRows: prepared.total, rows: exported, truncated: prepared.total > exported,
      body: this.syncBody(req, prepared, cap, encoder),
    };
  }

  private async *syncBody(
    req: NormalizedExportInput, p: PreparedExport, cap: number, encoder: (i: number) => ReturnType<typeof createRowEncoder>,
  ): AsyncGenerator<Buffer> {
    let left = cap;
    const store = this.deps.store;
    for (const [i, set] of p.indexSets.entries()) {
      if (left <= 0) return;
      const mask = compileDesensitizer(set.desensitizeRules, { messageField: set.messageField, timeField: set.timeField, raw: p.raw });
      const pageSize = Math.min(this.limits.pageSize, Math.max(1, left));
      const stream = store.stream(set, storeRequest(req, set, p.maxId), { pageSize });
      const batches = async function* () {
        for await (const hits of stream) {
          const take = hits.slice(0, left);
          left -= take.length;
          yield take.map((h) => mask(h.row));
          if (left <= 0) return;
        }
      };
      yield* encodeRows(encoder(i), batches());
    }
  }
}
