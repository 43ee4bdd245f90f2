import type { Notifier } from '../notify/notifier.ts';
import { renderExportMail, type ExportMailInput } from '../notify/templates/render-export-mail.ts';
import type { IndexSet } from '../store/index-set.ts';
import type { ExportLogger } from './export-deps.ts';
import type { NormalizedExportInput } from './export-request.ts';
import type { ExportTask } from './export-task-repository.ts';

export interface ExportMailContext {
  notifier: Notifier;
  logger: ExportLogger;
  publicUrl: string;
  mailAddress?: ((username: string) => string | undefined) | undefined;
}

export type ExportOutcome =
  | { outcome: 'success'; downloadUrl: string; fileSizeBytes: number; rowsExported: number; linkExpiresAt: Date; warnings: string[] }
  | { outcome: 'failure'; reason: string };

/** The search page of the index set(s), as bk-log's `search_url` (§1.5). */
export function searchUrl(publicUrl: string, task: ExportTask): string {
  const input = task.requestParam as NormalizedExportInput;
  const q = new URLSearchParams({
    bizId: String(task.bkBizId),
    start_time: String(task.startTime),
    end_time: String(task.endTime),
    keyword: input.search.query,
  });
  const base = publicUrl.replace(/\/+$/, '');
  return task.indexSetIds.length === 1
    ? `${base}/#/retrieve/${task.indexSetIds[0]}?${q.toString()}`
    : `${base}/#/retrieve?${q.toString()}&unionList=${task.indexSetIds.join(',')}`;
}

/**
 * Sends the success or failure mail. Never throws: a failure is logged and returned as text so
 * the caller records it on the task (`notify_error`) — a mail never fails an export.
 */
export async function sendExportMail(ctx: ExportMailContext, task: ExportTask, indexSets: IndexSet[], outcome: ExportOutcome): Promise<string | null> {
  const address = ctx.mailAddress?.(task.createdBy) ?? (task.createdBy.includes('@') ? task.createdBy : undefined);
  if (address === undefined) {
    ctx.logger.info({ taskId: task.id, user: task.createdBy }, 'export mail skipped: no address for the user');
    return null;
  }
  try {
    const input = task.requestParam as NormalizedExportInput;
    const common = {
      locale: task.language,
      indexSets: indexSets.map((s) => ({ name: s.name, indices: [`index_set_${s.id}`] })),
      createdBy: task.createdBy,
      exportedAt: new Date(),
      timeZone: task.timeZone,
      timeRange: { start: new Date(task.startTime), end: new Date(task.endTime) },
      query: input.search.query,
      searchUrl: searchUrl(ctx.publicUrl, task),
    };
    const mail: ExportMailInput = outcome.outcome === 'success'
      ? { ...common, outcome: 'success', fileSizeBytes: outcome.fileSizeBytes, downloadUrl: outcome.downloadUrl, rowsExported: outcome.rowsExported, linkExpiresAt: outcome.linkExpiresAt, warnings: outcome.warnings }
      : { ...common, outcome: 'failure', reason: outcome.reason };
    const rendered = renderExportMail(mail);
    await ctx.notifier.send({ to: [address], locale: task.language, ...rendered });
    return null;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.logger.warn({ taskId: task.id, err: message }, 'export mail failed');
    return `mail not sent: ${message}`;
  }
}
