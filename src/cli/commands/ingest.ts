import { createReadStream, statSync } from 'node:fs';
import type { Command } from 'commander';
import { systemPrincipal } from '../../accounts/principal.ts';
import { INGEST_FORMATS, type FieldMapping, type IngestFormat } from '../../ingest/ingest-format.ts';
import type { IngestOptions, IngestProgress } from '../../ingest/ingest-service.ts';
import { AppError } from '../../shared/app-error.ts';
import { positiveInt, withContext } from '../cli-context.ts';
import { createProgress } from '../progress.ts';

interface IngestFlags {
  indexSet: string;
  format: string;
  headerFormat?: string;
  timeZone: string;
  timeFormat?: string;
  mapping?: string;
  defaultTime?: string;
  strict?: boolean;
}

/** Exit code when some lines were rejected but the good ones were written. */
export const EXIT_PARTIAL = 3;

function ingestOptions(o: IngestFlags): Omit<IngestOptions, 'onProgress'> {
  if (!(INGEST_FORMATS as readonly string[]).includes(o.format)) {
    throw new AppError('VALIDATION_FAILED', `--format must be one of ${INGEST_FORMATS.join(', ')}`);
  }
  if (o.defaultTime !== undefined && o.defaultTime !== 'now') throw new AppError('VALIDATION_FAILED', '--default-time only accepts "now"');
  let mapping: FieldMapping | undefined;
  if (o.mapping !== undefined) {
    try {
      mapping = JSON.parse(o.mapping) as FieldMapping;
    } catch (err) {
      throw new AppError('VALIDATION_FAILED', '--mapping must be JSON, e.g. {"time":"@timestamp","message":"msg"}', { cause: err });
    }
  }
  return {
    format: o.format as IngestFormat,
    timeZone: o.timeZone,
    ...(o.headerFormat === undefined ? {} : { headerFormat: o.headerFormat }),
    ...(o.timeFormat === undefined ? {} : { timeFormat: o.timeFormat }),
    ...(mapping === undefined ? {} : { mapping }),
    ...(o.defaultTime === 'now' ? { defaultTime: 'now' as const } : {}),
    ...(o.strict === true ? { rejectOnBadLines: true } : {}),
  };
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
}

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest [files...]')
    .description('load log lines from files (plain or .gz) or stdin (no files or "-") into an index set')
    .requiredOption('--index-set <id>', 'target index set id')
    .option('--format <format>', `line format: ${INGEST_FORMATS.join(' | ')}`, 'raw')
    .option('--header-format <fmt>', 'raw lines, e.g. "<Date> <Time> <Level> <Component>: <Content>"')
    .option('--time-zone <zone>', 'IANA zone of timestamps without an offset', 'UTC')
    .option('--time-format <fmt>', 'auto | iso | epoch_s | epoch_ms | a luxon format', 'auto')
    .option('--mapping <json>', 'ndjson/logfmt keys: {"time":…,"message":…,"fields":{…}}')
    .option('--default-time <now>', 'give lines without a timestamp the ingest time instead of rejecting them')
    .option('--strict', 'write nothing if any line is bad')
    .action(async (files: string[], o: IngestFlags, cmd: Command) => {
      const options = ingestOptions(o);
      const indexSetId = positiveInt('--index-set', o.indexSet);
      const inputs = files.length === 0 ? ['-'] : files;
      await withContext(cmd, async (ctx) => {
        let rejectedTotal = 0;
        for (const file of inputs) {
          const total = file === '-' ? 0 : fileSize(file);
          const bar = createProgress(file === '-' ? 'stdin' : file, total);
          const result = await ctx.logs.ingest(systemPrincipal(), indexSetId, file === '-' ? process.stdin : createReadStream(file), {
            ...options,
            onProgress: (p: IngestProgress) => bar.update(p.bytes, { accepted: p.accepted, rejected: p.rejected }),
          });
          bar.stop();
          rejectedTotal += result.rejected;
          const written = options.rejectOnBadLines === true && result.rejected > 0 ? 0 : result.accepted;
          process.stdout.write(`${file}: ${result.lines} lines, ${written} rows written, ${result.rejected} bad, ${result.blankLines} blank\n`);
          for (const bad of result.badLines) process.stderr.write(`${file}:${bad.lineNo}: ${bad.reason}\n`);
          if (result.rejected > result.badLines.length) process.stderr.write(`${file}: … and ${result.rejected - result.badLines.length} more bad lines\n`);
        }
        if (rejectedTotal > 0 && options.rejectOnBadLines === true) {
          throw new AppError('BAD_INPUT_LINE', `${rejectedTotal} bad lines; --strict: nothing was written`);
        }
        if (rejectedTotal > 0) process.exitCode = EXIT_PARTIAL;
      });
    });
}
