import type { Kysely } from 'kysely';
import type { IndexSetService } from '../catalog/index-set-service.ts';
import type { DialectKind } from '../db/database-target.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { Notifier } from '../notify/notifier.ts';
import type { ObjectStorage } from '../storage/object-storage.ts';
import type { LogStore } from '../store/log-store.ts';
import { DEFAULT_GZIP_LEVEL } from './packaging/gzip-entry-part.ts';

/** Size and time limits of exports, and their tuning; every one has a default (see {@link DEFAULT_EXPORT_LIMITS}). */
export interface ExportLimits {
  /** Rows per async export; beyond it the export ends as success WITH a warning. */
  maxRows: number;
  /** Uncompressed bytes per async export (all parts); same rule. */
  maxBytes: number;
  maxRowsPerPart: number;
  maxBytesPerPart: number;
  /** Parallel time-window slices of a quick export (bk-log: 3). */
  quickSlices: number;
  /** Rows fetched per store page. */
  pageSize: number;
  /** Row cap of the synchronous export. */
  syncMaxRows: number;
  /** Lifetime of a presigned URL / signed token minted per download click (Langfuse: 10 min). */
  downloadUrlSeconds: number;
  /** Attempts of a job before the task is failed for good (bk-log's intent: 3). */
  maxAttempts: number;
  /** Progress is written at most this often… */
  progressEveryMs: number;
  /** …or after this many rows. */
  progressEveryRows: number;
  /** gzip level of the parts (1–9). */
  gzipLevel: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = {
  maxRows: 20_000_000,
  maxBytes: 20 * 1024 ** 3,
  maxRowsPerPart: 1_000_000,
  maxBytesPerPart: 256 * 1024 ** 2,
  quickSlices: 3,
  pageSize: 2_000,
  syncMaxRows: 10_000,
  downloadUrlSeconds: 600,
  maxAttempts: 3,
  progressEveryMs: 1_000,
  progressEveryRows: 50_000,
  gzipLevel: DEFAULT_GZIP_LEVEL,
};

/** The logger calls the export feature makes (pino fits). */
export interface ExportLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Everything the export service, worker and periodic jobs need; built by the composition root. */
export interface ExportDeps {
  /** Same database as the job queue (enqueue runs in the create transaction). */
  db: Kysely<unknown>;
  dialect: DialectKind;
  store: LogStore;
  jobs: JobQueue;
  indexSets: Pick<IndexSetService, 'get'>;
  storage: ObjectStorage;
  notifier: Notifier;
  logger: ExportLogger;
  /**
   * Local folder for per-task work files (finished part files survive a worker crash here, see
   * README of src/export). With several worker machines it must be shared (NFS) or resumes start over.
   */
  workDir: string;
  /** Base URL users reach logsift at (mail links, signed download URLs). */
  publicUrl: string;
  downloadSecret: string;
  linkLifetimeMs: number;
  perUserRunningLimit: number;
  limits?: Partial<ExportLimits>;
  /** Mail address of a user; default: the username if it contains `@`, else none (no mail). */
  mailAddress?: (username: string) => string | undefined;
  clock?: () => Date;
}

export function limitsOf(deps: Pick<ExportDeps, 'limits'>): ExportLimits {
  return { ...DEFAULT_EXPORT_LIMITS, ...deps.limits };
}
