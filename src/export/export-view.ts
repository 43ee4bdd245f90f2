import { toBklogStatus } from './export-status.ts';
import type { ExportTask } from './export-task-repository.ts';
import type { ExportTaskView } from './export-types.ts';

const DAY_MS = 86_400_000;

/**
 * bk-log's `retry_able` (§1.9): false once the searched window has aged out of the index sets'
 * retention (`now ≥ end_time + retention days`). For a union we use the shortest retention of its
 * index sets (bk-log always answered true for unions, since it found no retention for them).
 */
export function isRetryAble(task: Pick<ExportTask, 'endTime' | 'indexSetIds'>, retention: Map<number, number>, now: Date): boolean {
  const days = task.indexSetIds.map((id) => retention.get(id)).filter((d): d is number => d !== undefined);
  if (days.length === 0) return true;
  return now.getTime() < task.endTime + Math.min(...days) * DAY_MS;
}

/** bk-log's package size: MiB rounded to 2 decimals, at least 0.01. */
export function sizeInMiB(bytes: number | null): number | null {
  return bytes === null ? null : Math.max(Math.round((bytes / 1_048_576) * 100) / 100, 0.01);
}

/** A task as history shows it; `data_expired` replaces the status when the data aged out (never stored). */
export function toView(task: ExportTask, retention: Map<number, number>, now: Date): ExportTaskView {
  const retryAble = isRetryAble(task, retention, now);
  return {
    id: task.id,
    searchDict: task.requestParam,
    indexSetType: task.indexSetType,
    indexSetId: task.indexSetId,
    indexSetIds: task.indexSetIds,
    startTime: task.startTime,
    endTime: task.endTime,
    exportType: task.exportType,
    format: task.format,
    exportStatus: retryAble ? task.status : 'data_expired',
    bklogStatus: retryAble ? toBklogStatus(task.status) : 'data_expired',
    errorMsg: task.failedReason,
    exportPkgName: task.fileName,
    exportPkgSize: sizeInMiB(task.fileSizeBytes),
    fileSizeBytes: task.fileSizeBytes,
    exportCreatedAt: task.createdAt,
    exportCreatedBy: task.createdBy,
    exportCompletedAt: task.completedAt,
    exportedCount: task.exportedCount,
    exportTotalCount: task.exportTotalCount,
    downloadCount: task.downloadCount,
    downloadAble: task.status === 'success',
    retryAble,
    warnings: task.warnings,
    notifyError: task.notifyError,
    isDesensitize: task.isDesensitize,
    timeZone: task.timeZone,
    quick: task.quick,
  };
}
