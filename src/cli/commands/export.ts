import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import { systemPrincipal } from '../../accounts/principal.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../../export/formats/export-format.ts';
import type { ExportTaskView } from '../../export/export-types.ts';
import { checkTimeZone, parseTimeParam } from '../../http/time-param.ts';
import type { AppContext } from '../../main/app-context.ts';
import type { ExportFeature } from '../../main/create-export-feature.ts';
import { AppError } from '../../shared/app-error.ts';
import { loadCliConfig, positiveInt, printJson } from '../cli-context.ts';
import { createProgress } from '../progress.ts';

const TERMINAL = ['success', 'failed', 'cancelled', 'download_expired', 'data_expired'];

/** Opens the context and the export feature (the operator acts as the system administrator). */
async function withExports<T>(cmd: Command, fn: (ctx: AppContext, feature: ExportFeature) => Promise<T>): Promise<T> {
  const config = await loadCliConfig(cmd);
  const { createAppContext } = await import('../../main/app-context.ts');
  const { createExportFeature } = await import('../../main/create-export-feature.ts');
  const pino = (await import('pino')).default;
  const ctx = await createAppContext(config, { logger: pino({ level: process.env.LOGSIFT_LOG_LEVEL ?? 'warn' }, pino.destination(2)) });
  const feature = await createExportFeature(ctx);
  try {
    return await fn(ctx, feature);
  } finally {
    await ctx.close();
    await feature.close();
  }
}

/** Follows a task with a progress bar until it ends; non-zero exit unless it succeeded. */
async function follow(feature: ExportFeature, taskId: number): Promise<ExportTaskView> {
  let view = await feature.service.get(taskId, systemPrincipal());
  const bar = createProgress(`export ${taskId}`, Math.max(1, view.exportTotalCount));
  while (!TERMINAL.includes(view.exportStatus)) {
    bar.update(view.exportedCount, { accepted: view.exportedCount, rejected: 0 });
    await new Promise((r) => setTimeout(r, 500));
    view = await feature.service.get(taskId, systemPrincipal());
  }
  bar.stop();
  return view;
}

function describe(v: ExportTaskView): string {
  const warn = v.warnings.length > 0 ? ` warnings: ${v.warnings.join('; ')}` : '';
  const err = v.errorMsg === null ? '' : ` error: ${v.errorMsg}`;
  return `${v.id}\t${v.exportStatus}\t${v.exportedCount}/${v.exportTotalCount} rows\t${v.format}\t${v.exportCreatedBy}\t${v.exportCreatedAt}${err}${warn}`;
}

interface CreateFlags {
  indexSet: string[];
  start: string;
  end: string;
  query?: string;
  format: string;
  fields?: string;
  quick?: boolean;
  timeZone: string;
  raw?: boolean;
  wait?: boolean;
}

export function registerExportCommands(program: Command): void {
  const group = program.command('export').description('asynchronous exports of log searches');
  group
    .command('create')
    .description('queue an export and print its task id')
    .requiredOption('--index-set <id>', 'index set (repeat for a union export)', (v: string, acc: string[]) => [...acc, v], [])
    .requiredOption('--start <time>', 'start: epoch ms, ISO-8601 or "YYYY-MM-DD HH:mm:ss"')
    .requiredOption('--end <time>', 'end (inclusive)')
    .option('-q, --query <query>', 'Lucene-like query')
    .option('--format <format>', EXPORT_FORMATS.join(' | '), 'log')
    .option('--fields <list>', 'exported fields, comma-separated (default: all)')
    .option('--quick', 'parallel slices (quick export)')
    .option('--time-zone <zone>', 'zone for --start/--end and for times in the files', 'UTC')
    .option('--raw', 'do not apply the index set\'s masking rules')
    .option('--wait', 'follow progress (runs the export worker in this process); exit non-zero unless it succeeds')
    .action(async (o: CreateFlags, cmd: Command) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(o.format)) throw new AppError('VALIDATION_FAILED', `--format must be one of ${EXPORT_FORMATS.join(', ')}`);
      const zone = checkTimeZone(o.timeZone);
      const input = {
        indexSetIds: o.indexSet.map((v) => positiveInt('--index-set', v)),
        search: { startTime: parseTimeParam('--start', o.start, zone), endTime: parseTimeParam('--end', o.end, zone), ...(o.query === undefined ? {} : { query: o.query }) },
        format: o.format as ExportFormat,
        quick: o.quick === true,
        timeZone: zone,
        isDesensitize: o.raw !== true,
        ...(o.fields === undefined ? {} : { fields: o.fields.split(',').map((f) => f.trim()).filter((f) => f !== '') }),
      };
      await withExports(cmd, async (ctx, feature) => {
        const created = await feature.service.create(input, systemPrincipal());
        process.stdout.write(`${created.taskId}\n`);
        if (o.wait !== true) return;
        ctx.jobs.work('async_export', feature.jobHandler, { concurrency: ctx.config.worker.concurrency });
        await ctx.jobs.start();
        const view = await follow(feature, created.taskId);
        process.stderr.write(`${describe(view)}\n`);
        if (view.exportStatus !== 'success') throw new AppError('DEPENDENCY_FAILED', `export ${created.taskId} ended ${view.exportStatus}: ${view.errorMsg ?? ''}`);
      });
    });
  group
    .command('list')
    .description('export history of a business')
    .requiredOption('--biz <bk_biz_id>', 'business id')
    .option('--index-set <id>', 'only this index set')
    .option('--limit <n>', 'rows', '50')
    .action(async (o: { biz: string; indexSet?: string; limit: string }, cmd: Command) => {
      await withExports(cmd, async (_ctx, feature) => {
        const page = await feature.service.history({
          bkBizId: positiveInt('--biz', o.biz), showAll: o.indexSet === undefined, page: 1, pageSize: positiveInt('--limit', o.limit),
          ...(o.indexSet === undefined ? {} : { indexSetId: positiveInt('--index-set', o.indexSet) }),
        }, systemPrincipal());
        for (const v of page.list) process.stdout.write(`${describe(v)}\n`);
      });
    });
  group.command('status <id>').description('one export task as JSON').action(async (id: string, _o, cmd: Command) => {
    await withExports(cmd, async (_ctx, feature) => printJson(await feature.service.get(positiveInt('id', id), systemPrincipal())));
  });
  group.command('cancel <id>').description('cancel a queued or running export').action(async (id: string, _o, cmd: Command) => {
    await withExports(cmd, async (_ctx, feature) => process.stdout.write(`${describe(await feature.service.cancel(positiveInt('id', id), systemPrincipal()))}\n`));
  });
  group
    .command('download <id>')
    .description('save the archive of a finished export')
    .option('-o, --output <file>', 'where to write it (default: the archive name)')
    .action(async (id: string, o: { output?: string }, cmd: Command) => {
      await withExports(cmd, async (_ctx, feature) => {
        const link = await feature.service.downloadLink(positiveInt('id', id), systemPrincipal());
        const signed = new URL(link.url, 'http://local').searchParams.get('token');
        if (link.url.includes('/api/v1/export/download/') && signed !== null) {
          const file = await feature.service.openSignedDownload(signed);
          await pipeline(file.stream, createWriteStream(o.output ?? file.fileName));
          process.stdout.write(`${o.output ?? file.fileName}\t${file.size} bytes\n`);
          return;
        }
        const res = await fetch(link.url);
        if (!res.ok || res.body === null) throw new AppError('DEPENDENCY_FAILED', `download failed: HTTP ${res.status}`);
        const out = o.output ?? `export-${id}.tar.gz`;
        await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(out));
        process.stdout.write(`${out}\n`);
      });
    });
}
