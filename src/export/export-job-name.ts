/** The job name of an async export on queue `async_export`. */
export const EXPORT_JOB_NAME = 'export.run';

/** The job payload: the task row holds everything else. */
export interface ExportJobPayload {
  taskId: number;
  /** Attempts the job was enqueued with; the last failing attempt marks the task failed. */
  maxAttempts: number;
}
