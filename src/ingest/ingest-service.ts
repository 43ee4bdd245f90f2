import { AppError } from '../shared/app-error.ts';
import type { IndexSet } from '../store/index-set.ts';
import type { NewLogRow } from '../store/log-row.ts';
import type { LogStore } from '../store/log-store.ts';
import { INGEST_FORMATS, type FieldMapping, type IngestFormat } from './ingest-format.ts';
import { readLines, type IngestInput } from './line-source.ts';
import { PARSER_FACTORIES } from './parser-registry.ts';
import { RowSpool } from './row-spool.ts';

export interface IngestOptions {
  format: IngestFormat;
  /** Raw format: `<Date> <Time> <Level> <Component>: <Content>`. */
  headerFormat?: string;
  /** IANA zone for timestamps without an offset. Required: logsift never guesses the zone. */
  timeZone: string;
  /** `auto` (default), `iso`, `epoch_s`, `epoch_ms` or a luxon format string. */
  timeFormat?: string;
  /** ndjson/logfmt: which keys hold time, message and fields. */
  mapping?: FieldMapping;
  /** `now` (CLI `--default-time now`): lines without a usable timestamp get the ingest time instead of being rejected. */
  defaultTime?: 'now';
  /** Epoch ms standing in for "now" (syslog year, `defaultTime`); for deterministic runs. */
  referenceTime?: number;
  /** Rows per `store.append` call. Default 5 000. */
  batchSize?: number;
  /** How many bad lines are returned with line number and reason (all are counted). Default 100. */
  maxBadLineSamples?: number;
  /** Longer lines are bad lines ("line is N bytes, over the M-byte limit"). Default 1 MiB. */
  maxLineBytes?: number;
  /**
   * Strict mode, used by the HTTP API: if any line is bad nothing is written. Rows are buffered
   * (in memory, then a temp file past `strictMemoryRows`) and appended only after the whole input
   * parsed cleanly. A store failure during those appends can still leave earlier batches written.
   */
  rejectOnBadLines?: boolean;
  /** Strict mode: rows kept in memory before spilling to a temp file. Default 50 000. */
  strictMemoryRows?: number;
  /** Strict mode: where the spill file goes (a fresh sub-folder, removed afterwards). Default: the OS temp folder. */
  tempDir?: string;
  /** Called about every `batchSize` lines and once at the end. */
  onProgress?: (progress: IngestProgress) => void;
}

export interface IngestProgress {
  /** Lines read so far (including bad and blank lines). */
  lines: number;
  accepted: number;
  rejected: number;
  /** Input bytes read (compressed bytes for gzip input): compare with the file size for a progress bar. */
  bytes: number;
}

export interface BadLine {
  lineNo: number;
  reason: string;
}

export interface IngestResult extends IngestProgress {
  /** Rows parsed but not written because strict mode rejected the input. */
  notWritten: number;
  /** Whitespace-only lines: skipped, but counted. */
  blankLines: number;
  /** Rows whose time was set to the ingest time by `defaultTime: 'now'`. */
  defaultedTime: number;
  /** The first `maxBadLineSamples` bad lines, in input order. */
  badLines: BadLine[];
  /** Ids of the first and last written row; null when nothing was written. */
  firstId: string | null;
  lastId: string | null;
  /** Decompressed text bytes. */
  textBytes: number;
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new AppError('VALIDATION_FAILED', `${name} must be a positive integer`, { details: { [name]: value } });
  }
  return value;
}

/**
 * Reads `input` line by line, parses each line with the format's parser and appends the rows to
 * `store` in batches. Bad lines are counted and sampled with their 1-based line numbers, never
 * dropped silently. Configuration errors (unknown format, bad header format, unknown time zone)
 * throw VALIDATION_FAILED before anything is read.
 */
export async function ingest(
  store: LogStore,
  indexSet: IndexSet,
  input: IngestInput,
  options: IngestOptions,
): Promise<IngestResult> {
  if (!(INGEST_FORMATS as readonly string[]).includes(options.format)) {
    throw new AppError('VALIDATION_FAILED', `Unknown ingest format "${options.format}" (use ${INGEST_FORMATS.join(', ')})`);
  }
  if (options.defaultTime !== undefined && options.defaultTime !== 'now') {
    throw new AppError('VALIDATION_FAILED', `defaultTime must be "now" when set, not "${String(options.defaultTime)}"`);
  }
  const batchSize = positiveInt('batchSize', options.batchSize, 5_000);
  const maxSamples = options.maxBadLineSamples ?? 100;
  const maxLineBytes = positiveInt('maxLineBytes', options.maxLineBytes, 1024 * 1024);
  const strict = options.rejectOnBadLines === true;
  const parse = PARSER_FACTORIES[options.format]({
    indexSet,
    timeZone: options.timeZone,
    timeFormat: options.timeFormat,
    headerFormat: options.headerFormat,
    mapping: options.mapping,
    defaultTime: options.defaultTime,
    referenceTime: options.referenceTime,
  });

  const stats = { bytes: 0, textBytes: 0 };
  const result: IngestResult = {
    lines: 0, accepted: 0, rejected: 0, notWritten: 0, blankLines: 0, defaultedTime: 0,
    badLines: [], firstId: null, lastId: null, bytes: 0, textBytes: 0,
  };
  const progress = (): void => {
    result.bytes = stats.bytes;
    result.textBytes = stats.textBytes;
    options.onProgress?.({ lines: result.lines, accepted: result.accepted, rejected: result.rejected, bytes: stats.bytes });
  };
  const write = async (rows: NewLogRow[]): Promise<void> => {
    const ids = await store.append(indexSet, rows);
    if (ids !== null) {
      result.firstId ??= ids.firstId;
      result.lastId = ids.lastId;
    }
    result.accepted += rows.length;
    progress();
  };

  const spool = strict ? new RowSpool(positiveInt('strictMemoryRows', options.strictMemoryRows, 50_000), options.tempDir) : undefined;
  let batch: NewLogRow[] = [];
  let refused = false;
  let reportedAt = 0;
  const bad = async (lineNo: number, reason: string): Promise<void> => {
    result.rejected++;
    if (result.badLines.length < maxSamples) result.badLines.push({ lineNo, reason });
    if (spool && !refused) {
      // Strict mode: the input is refused as a whole, so the buffered rows can go now.
      refused = true;
      result.notWritten += spool.count + batch.length;
      batch = [];
      await spool.discard();
    }
  };
  try {
    for await (const lines of readLines(input, stats, maxLineBytes)) {
      for (const line of lines) {
        result.lines++;
        if (!('text' in line)) {
          await bad(line.lineNo, `line is ${line.tooLongBytes} bytes, over the ${maxLineBytes}-byte limit`);
          continue;
        }
        if (line.text.trim() === '') {
          result.blankLines++;
          continue;
        }
        const parsed = parse(line.text, line.lineNo);
        if (!parsed.ok) {
          await bad(parsed.lineNo, parsed.reason);
          continue;
        }
        if (parsed.defaultedTime) result.defaultedTime++;
        if (refused) {
          result.notWritten++;
          continue;
        }
        batch.push(parsed.row);
        if (batch.length >= batchSize) {
          if (spool) await spool.add(batch);
          else await write(batch);
          batch = [];
        }
      }
      if (result.lines - reportedAt >= batchSize) {
        reportedAt = result.lines;
        progress();
      }
    }
    if (spool && !refused) {
      await spool.add(batch);
      for await (const rows of spool.replay(batchSize)) await write(rows);
    } else if (!spool && batch.length > 0) {
      await write(batch);
    }
  } finally {
    await spool?.discard();
  }
  progress();
  return result;
}
