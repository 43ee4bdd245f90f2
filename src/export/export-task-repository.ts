import { type Kysely, type Selectable, type Transaction, type Updateable, sql } from 'kysely';
import { AppError } from '../shared/app-error.ts';
import type { ExportFormat } from './formats/export-format.ts';
import type { PartSummary, LimitReached } from './packaging/part-splitter.ts';
import { assertTransition, RUNNING_EXPORT_STATUSES, type ExportStatus } from './export-status.ts';
import type { ExportTables, ExportTaskTable } from './export-tables.ts';
import type { ExportType, IndexSetType, SortList } from './export-types.ts';

/** Resume state of one ordered row stream (a whole single export, one union index set, one quick slice). */
export interface StreamCheckpoint {
  /** Rows in the finished parts. */
  rows: number;
  parts: PartSummary[];
  /** Cursor after the last row of the last finished part; null = from the start. */
  searchAfter: Array<string | number | boolean | null> | null;
  done: boolean;
  limit: LimitReached;
  /** CSV cells escaped in the finished parts (null once unknown, e.g. after a resume). */
  formulaCells: number | null;
}

/** The task's checkpoint column: per stream key (`is<id>` or `is<id>_s<n>`). */
export interface TaskCheckpoint {
  /** Archive base name, fixed at create so a resumed run writes the same part names. */
  baseName: string;
  /** Rows matching at the cut-off when the task was created. */
  matching: number;
  /** The export-wide caps fixed at create (the service's limits then). */
  caps: { rows: number; bytes: number };
  streams: Record<string, StreamCheckpoint>;
}

/** A task row with JSON and numbers parsed. */
export interface ExportTask {
  id: number;
  requestParam: unknown;
  sortedParam: Record<string, SortList>;
  indexSetId: number | null;
  indexSetIds: number[];
  indexSetType: IndexSetType;
  exportType: ExportType;
  status: ExportStatus;
  failedReason: string | null;
  fileName: string | null;
  fileSizeBytes: number | null;
  objectKey: string | null;
  downloadUrl: string | null;
  isClean: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  exportTotalCount: number;
  exportedCount: number;
  downloadCount: number;
  bkBizId: number;
  isDesensitize: boolean;
  raw: boolean;
  timeZone: string;
  format: ExportFormat;
  fields: string[];
  quick: boolean;
  startTime: number;
  endTime: number;
  warnings: string[];
  checkpoint: TaskCheckpoint | null;
  maxId: string;
  jobId: string | null;
  fingerprint: string;
  notifyError: string | null;
  language: 'zh' | 'en';
}

export type NewExportTask = Omit<
  ExportTaskTable,
  'id' | 'failed_reason' | 'file_name' | 'file_size_bytes' | 'object_key' | 'download_url' | 'is_clean' | 'completed_at' |
  'exported_count' | 'download_count' | 'warnings' | 'checkpoint' | 'job_id' | 'notify_error'
> & { completed_at?: string | null; warnings?: string; checkpoint?: string | null };

function toTask(r: Selectable<ExportTaskTable>): ExportTask {
  return {
    id: Number(r.id),
    requestParam: JSON.parse(r.request_param) as unknown,
    sortedParam: JSON.parse(r.sorted_param) as Record<string, SortList>,
    indexSetId: r.index_set_id === null ? null : Number(r.index_set_id),
    indexSetIds: JSON.parse(r.index_set_ids) as number[],
    indexSetType: r.index_set_type as IndexSetType,
    exportType: r.export_type as ExportType,
    status: r.status as ExportStatus,
    failedReason: r.failed_reason,
    fileName: r.file_name,
    fileSizeBytes: r.file_size_bytes === null ? null : Number(r.file_size_bytes),
    objectKey: r.object_key,
    downloadUrl: r.download_url,
    isClean: Number(r.is_clean) === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
    exportTotalCount: Number(r.export_total_count),
    exportedCount: Number(r.exported_count),
    downloadCount: Number(r.download_count),
    bkBizId: Number(r.bk_biz_id),
    isDesensitize: Number(r.is_desensitize) === 1,
    raw: Number(r.raw) === 1,
    timeZone: r.time_zone,
    format: r.format as ExportFormat,
    fields: JSON.parse(r.fields) as string[],
    quick: Number(r.quick) === 1,
    startTime: Number(r.start_time),
    endTime: Number(r.end_time),
    warnings: JSON.parse(r.warnings) as string[],
    checkpoint: r.checkpoint === null ? null : (JSON.parse(r.checkpoint) as TaskCheckpoint),
    maxId: r.max_id,
    jobId: r.job_id,
    fingerprint: r.fingerprint,
    notifyError: r.notify_error,
    language: r.language === 'zh' ? 'zh' : 'en',
  };
}

/** Columns a status change may set along with the status. */
export type TransitionPatch = Partial<Pick<Updateable<ExportTaskTable>,
  'failed_reason' | 'file_name' | 'file_size_bytes' | 'object_key' | 'download_url' | 'completed_at' | 'exported_count' | 'warnings' | 'checkpoint'
>>;

const RUNNING: readonly string[] = RUNNING_EXPORT_STATUSES;

/** Data access for `export_task`. Every status change is a compare-and-set through {@link transition}. */
export class ExportTaskRepository {
  constructor(
    private readonly db: Kysely<ExportTables>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private now(): string {
    return this.clock().toISOString();
  }

  async get(id: number): Promise<ExportTask | undefined> {
    if (!Number.isSafeInteger(id) || id < 1 || id > 2 ** 31 - 1) return undefined;
    const row = await this.db.selectFrom('export_task').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toTask(row);
  }

  /**
   * Inside `tx`: locks the user's row in `export_user_lock` (an UPDATE, so PostgreSQL holds a row
   * lock and SQLite the write lock until commit), then returns the user's running async tasks.
   * Concurrent creates of one user are serialised here, which makes check-then-insert atomic.
   */
  async lockUserAndListRunning(tx: Transaction<ExportTables>, username: string): Promise<ExportTask[]> {
    await tx.insertInto('export_user_lock').values({ created_by: username, creates: 1 })
      .onConflict((oc) => oc.column('created_by').doUpdateSet({ creates: sql`export_user_lock.creates + 1` }))
      .execute();
    const rows = await tx.selectFrom('export_task').selectAll()
      .where('created_by', '=', username).where('export_type', '=', 'async').where('status', 'in', RUNNING)
      .execute();
    return rows.map(toTask);
  }

  async insert(task: NewExportTask, tx: Kysely<ExportTables> = this.db): Promise<number> {
    const row = await tx.insertInto('export_task')
      .values({ ...task, warnings: task.warnings ?? '[]', completed_at: task.completed_at ?? null, checkpoint: task.checkpoint ?? null })
      .returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async setJobId(id: number, jobId: string, tx: Kysely<ExportTables> = this.db): Promise<void> {
    await tx.updateTable('export_task').set({ job_id: jobId }).where('id', '=', id).execute();
  }

  /**
   * Compare-and-set status change `from → to` (checked against the transition table first).
   * 0 rows updated (someone else moved the task) is STATE_CONFLICT.
   */
  async transition(id: number, from: ExportStatus, to: ExportStatus, patch: TransitionPatch = {}): Promise<void> {
    assertTransition(from, to);
    const res = await this.db.updateTable('export_task')
      .set({ ...patch, status: to, updated_at: this.now() })
      .where('id', '=', id).where('status', '=', from)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      throw new AppError('STATE_CONFLICT', `export ${id} is no longer "${from}"`, { details: { id, from, to } });
    }
  }

  /** Progress while in `status`; false when the task left that status (cancelled, failed by the sweeper). */
  async progress(id: number, status: ExportStatus, exportedCount: number, checkpoint?: TaskCheckpoint): Promise<boolean> {
    const res = await this.db.updateTable('export_task')
      .set({
        exported_count: exportedCount,
        updated_at: this.now(),
        ...(checkpoint === undefined ? {} : { checkpoint: JSON.stringify(checkpoint) }),
      })
      .where('id', '=', id).where('status', '=', status)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async setWarnings(id: number, warnings: string[]): Promise<void> {
    await this.db.updateTable('export_task').set({ warnings: JSON.stringify(warnings) }).where('id', '=', id).execute();
  }

  async setNotifyError(id: number, message: string | null): Promise<void> {
    await this.db.updateTable('export_task').set({ notify_error: message }).where('id', '=', id).execute();
  }

  /** Counts a download of a successful task; false when it is not (or no longer) downloadable. */
  async countDownload(id: number): Promise<boolean> {
    const res = await this.db.updateTable('export_task')
      .set({ download_count: sql`download_count + 1` })
      .where('id', '=', id).where('status', '=', 'success')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async markClean(id: number): Promise<void> {
    await this.db.updateTable('export_task').set({ is_clean: 1 }).where('id', '=', id).execute();
  }

  /** History page (bk-log §1.9): newest first, then creator. */
  async history(filter: {
    bkBizId: number;
    indexSetType: IndexSetType;
    indexSetId?: number;
    indexSetIds?: string;
    createdFrom?: string;
    createdTo?: string;
    createdBy?: string;
    offset: number;
    limit: number;
  }): Promise<{ total: number; rows: ExportTask[] }> {
    let q = this.db.selectFrom('export_task')
      .where('bk_biz_id', '=', filter.bkBizId).where('index_set_type', '=', filter.indexSetType);
    if (filter.indexSetId !== undefined) q = q.where('index_set_id', '=', filter.indexSetId);
    if (filter.indexSetIds !== undefined) q = q.where('index_set_ids', '=', filter.indexSetIds);
    if (filter.createdFrom !== undefined) q = q.where('created_at', '>=', filter.createdFrom);
    if (filter.createdTo !== undefined) q = q.where('created_at', '<=', filter.createdTo);
    if (filter.createdBy !== undefined) q = q.where('created_by', '=', filter.createdBy);
    const [count, rows] = await Promise.all([
      q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      q.selectAll().orderBy('created_at', 'desc').orderBy('created_by').orderBy('id', 'desc')
        .offset(filter.offset).limit(filter.limit).execute(),
    ]);
    return { total: Number(count.n), rows: rows.map(toTask) };
  }

  /** Async tasks in one of `statuses` whose `column` is before `before` (periodic jobs), oldest first. */
  async listOlder(statuses: readonly ExportStatus[], column: 'created_at' | 'completed_at', before: string, limit = 500): Promise<ExportTask[]> {
    const rows = await this.db.selectFrom('export_task').selectAll()
      .where('export_type', '=', 'async').where('status', 'in', statuses).where(column, '<', before)
      .orderBy('id').limit(limit).execute();
    return rows.map(toTask);
  }

  /** Finished tasks whose object or work files are still to be removed. */
  async listUncleaned(statuses: readonly ExportStatus[], limit = 500): Promise<ExportTask[]> {
    const rows = await this.db.selectFrom('export_task').selectAll()
      .where('export_type', '=', 'async').where('is_clean', '=', 0).where('status', 'in', statuses)
      .orderBy('id').limit(limit).execute();
    return rows.map(toTask);
  }
}
