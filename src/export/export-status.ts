import { AppError } from '../shared/app-error.ts';

/**
 * Stored export statuses (bklog-spec §1.2, §1.6) plus two of ours:
 * - `queued`: created, no worker has started it. bk-log stores NULL for this state (it counts as
 *   running); we name it. Use {@link toBklogStatus} to present it the bk-log way.
 * - `download_log` → `export_package` → `export_upload` → `success` as in bk-log: each status says
 *   the step *done so far* (querying/writing, archive built, uploaded).
 * - `failed` with the failing step in `failed_reason` (see {@link failedReason}).
 * - `download_expired`: the link lifetime passed (only a successful export has a link).
 * - `cancelled` (ours): the user cancelled a queued or running export; partial files are removed.
 *   Distinct from `failed` so history and mails do not call a user's decision an error.
 *
 * `data_expired` is not here on purpose: bk-log computes it when listing history, never stores it.
 */
export const EXPORT_STATUSES = [
  'queued',
  'download_log',
  'export_package',
  'export_upload',
  'success',
  'failed',
  'download_expired',
  'cancelled',
] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** Statuses that count against the per-user running limit (bk-log: NULL and the three work steps). */
export const RUNNING_EXPORT_STATUSES = ['queued', 'download_log', 'export_package', 'export_upload'] as const satisfies readonly ExportStatus[];

/**
 * The one transition table. Any running status may fail (a step raised, or the 24 h sweeper) or be
 * cancelled. Unlike bk-log's one-shot `set_expired_status`, which overwrote any status, only a
 * successful export's link can expire. Terminal states have no exits: a retry is a new task
 * (bk-log's front end re-submits `search_dict`).
 */
export const EXPORT_TRANSITIONS: Record<ExportStatus, readonly ExportStatus[]> = {
  queued: ['download_log', 'failed', 'cancelled'],
  download_log: ['export_package', 'failed', 'cancelled'],
  export_package: ['export_upload', 'failed', 'cancelled'],
  export_upload: ['success', 'failed', 'cancelled'],
  success: ['download_expired'],
  failed: [],
  download_expired: [],
  cancelled: [],
};

export function isExportStatus(value: unknown): value is ExportStatus {
  return typeof value === 'string' && (EXPORT_STATUSES as readonly string[]).includes(value);
}

export function isTerminalStatus(status: ExportStatus): boolean {
  return EXPORT_TRANSITIONS[status].length === 0;
}

export function canTransition(from: ExportStatus, to: ExportStatus): boolean {
  return EXPORT_TRANSITIONS[from].includes(to);
}

/** Throws STATE_CONFLICT when `from → to` is not in the table (callers persist with compare-and-set on `from`). */
export function assertTransition(from: ExportStatus, to: ExportStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError('STATE_CONFLICT', `export cannot go from "${from}" to "${to}"`, { details: { from, to } });
  }
}

/** bk-log's wire value: NULL for a task no worker has started. */
export function toBklogStatus(status: ExportStatus): Exclude<ExportStatus, 'queued'> | null {
  return status === 'queued' ? null : status;
}

/** The steps a failure is attributed to, with bk-log's `failed_reason` prefixes (§1.6, §1.11). */
export const FAILED_STEP_PREFIXES = {
  export_package: 'export package error',
  export_upload: 'export upload error',
  generate_download_url: 'generate download url error',
} as const;
export type FailedStep = keyof typeof FAILED_STEP_PREFIXES;

/**
 * The step running while a task sits in `status`: the status names the last step completed, so a
 * failure in `download_log` is a packaging error, in `export_package` an upload error, and so on.
 */
export const STEP_RUNNING_IN: Record<(typeof RUNNING_EXPORT_STATUSES)[number], FailedStep> = {
  queued: 'export_package',
  download_log: 'export_package',
  export_package: 'export_upload',
  export_upload: 'generate_download_url',
};

/** `failed_reason` text, bk-log style: `"export upload error: <message>"`. */
export function failedReason(step: FailedStep, message: string): string {
  return `${FAILED_STEP_PREFIXES[step]}: ${message}`;
}

/** bk-log's reason for tasks the 24 h sweeper fails (§1.6). */
export const STUCK_TASK_REASON =
  'async export task not started or not finished within 24 hours, automatically marked failed';
