import { createWriteStream } from 'node:fs';
import { access, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { IndexSet } from '../store/index-set.ts';
import type { LogRow } from '../store/log-row.ts';
import type { LogStore, SearchHit } from '../store/log-store.ts';
import type { SearchRequest } from '../store/search-request.ts';
import { compileDesensitizer } from './desensitize.ts';
import type { ExportLimits } from './export-deps.ts';
import { storeRequest, type NormalizedExportInput } from './export-request.ts';
import type { ExportTask, StreamCheckpoint, TaskCheckpoint } from './export-task-repository.ts';
import { resolveExportColumns } from './formats/export-columns.ts';
import { createRowEncoder } from './formats/format-registry.ts';
import { buildManifest, byteCapWarning, manifestBytes, MANIFEST_FILE_NAME, rowCapWarning } from './packaging/export-manifest.ts';
import { gzipPartEntry, gzipPartPath, openGzipEntryPart } from './packaging/gzip-entry-part.ts';
import { PartSplitter, type PartSummary } from './packaging/part-splitter.ts';
import { writeTarGz } from './packaging/write-tar-gz.ts';

/** One ordered row stream of a task: its own parts and its own resume cursor. */
interface StreamPlan {
  key: string;
  indexSet: IndexSet;
  request: SearchRequest;
  baseName: string;
}

/** What the pipeline needs from the job around it. */
export interface PipelineContext {
  task: ExportTask;
  indexSets: IndexSet[];
  store: LogStore;
  limits: ExportLimits;
  /** The task's work folder (finished part files, the archive). */
  dir: string;
  signal: AbortSignal;
  /** Persists the checkpoint and progress; resolves false when the task left `download_log`. */
  save(checkpoint: TaskCheckpoint, exported: number, force: boolean): Promise<boolean>;
}

/** Thrown when the task was moved out of its status by someone else (cancel, stuck sweeper). */
export class TaskMovedError extends Error {
  constructor(id: number) {
    super(`export ${id} was cancelled or failed elsewhere`);
    this.name = 'TaskMovedError';
  }
}

/** Splits [start, end] (inclusive ms) into up to n disjoint windows; exactly-once across slices. */
export function timeWindows(start: number, end: number, n: number): Array<[number, number]> {
  const span = end - start + 1;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const from = start + Math.floor((span * i) / n);
    const to = start + Math.floor((span * (i + 1)) / n) - 1;
    if (to >= from) out.push([from, to]);
  }
  return out;
}

/** The streams of a task: one per index set, or per quick slice of each index set. */
export function planStreams(task: ExportTask, indexSets: IndexSet[], input: NormalizedExportInput, baseName: string, slices: number): StreamPlan[] {
  const union = indexSets.length > 1;
  return indexSets.flatMap((set) => {
    const base = union ? `${baseName}_${set.id}` : baseName;
    const request = storeRequest(input, set, task.maxId);
    if (!task.quick) return [{ key: `is${set.id}`, indexSet: set, request, baseName: base }];
    return timeWindows(input.search.startTime, input.search.endTime, slices).map(([from, to], i) => ({
      key: `is${set.id}_s${i + 1}`,
      indexSet: set,
      request: { ...request, startTime: from, endTime: to },
      baseName: `${base}_slice${i + 1}`,
    }));
  });
}

const newStream = (): StreamCheckpoint => ({ rows: 0, parts: [], searchAfter: null, done: false, limit: null, formulaCells: 0 });

/** Deletes files of a stream that no checkpoint lists: the unfinished part of a killed run. */
async function dropUnlisted(dir: string, plan: StreamPlan, cp: StreamCheckpoint): Promise<void> {
  const listed = new Set(cp.parts.map((p) => gzipPartPath(dir, p.name)));
  const prefix = `${plan.baseName}_part`;
  for (const name of await readdir(dir)) {
    if (name.startsWith(prefix) && !listed.has(join(dir, name))) await rm(join(dir, name), { force: true });
  }
}

/**
 * Writes every stream's rows into part files in `ctx.dir` (atomic: `.tmp` then rename), saving the
 * checkpoint after each finished part. Streams already done are skipped; a stream with finished
 * parts continues after its checkpoint cursor, so every row lands in exactly one part.
 * Quick slices run in parallel; union index sets one after another (bk-log order).
 */
export async function writeStreams(ctx: PipelineContext, plans: StreamPlan[], checkpoint: TaskCheckpoint): Promise<void> {
  const { task, limits, signal } = ctx;
  await mkdir(ctx.dir, { recursive: true });
  for (const p of plans) checkpoint.streams[p.key] ??= newStream();
  const all = (): StreamCheckpoint[] => plans.map((p) => checkpoint.streams[p.key]!);
  let openRows = 0;
  let lastSave = Date.now();
  let rowsSinceSave = 0;
  let saving: Promise<void> = Promise.resolve();
  const exported = (): number => all().reduce((n, s) => n + s.rows, 0) + openRows;
  const save = (force: boolean): Promise<void> => {
    const run = saving.then(async () => {
      if (!(await ctx.save(checkpoint, exported(), force))) throw new TaskMovedError(task.id);
    });
    saving = run.catch(() => undefined);
    return run;
  };
  const tick = async (rows: number): Promise<void> => {
    rowsSinceSave += rows;
    if (rowsSinceSave < limits.progressEveryRows && Date.now() - lastSave < limits.progressEveryMs) return;
    rowsSinceSave = 0;
    lastSave = Date.now();
    await save(false);
  };
  const usedBytes = (): number => all().reduce((n, s) => n + s.parts.reduce((b, part) => b + part.bytes, 0), 0);
  const run = async (plan: StreamPlan, rowCap: number): Promise<void> => {
    const cp = checkpoint.streams[plan.key]!;
    const present = await Promise.all(cp.parts.map((p) => access(gzipPartPath(ctx.dir, p.name)).then(() => true, () => false)));
    // Another machine's work folder (or a wiped one): the listed parts are gone, so start this stream over.
    if (present.includes(false)) Object.assign(cp, newStream());
    if (cp.done) return;
    await dropUnlisted(ctx.dir, plan, cp);
    const input = task.requestParam as NormalizedExportInput;
    const set = plan.indexSet;
    const encoder = createRowEncoder(task.format, { columns: resolveExportColumns(set, input.fields), timeZone: task.timeZone });
    const mask = compileDesensitizer(set.desensitizeRules, { messageField: set.messageField, timeField: set.timeField, raw: task.raw });
    // A part closes on a row of the batch being written or, when that batch's first row does not
    // fit, on the last row of the batch before: those are the only hits whose cursor is kept
    // (looked up only when a part closes; keeping whole batches would keep them from dying young).
    // Masking works in place, so the rows the splitter sees are the hits' own rows.
    let batch: SearchHit[] = [];
    let before: SearchHit | undefined;
    const cursorOf = (row: LogRow): SearchHit['sort'] | undefined =>
      (batch.findLast((h) => h.row === row) ?? (before?.row === row ? before : undefined))?.sort;
    const resumed = cp.parts.length > 0;
    if (resumed) cp.formulaCells = null;
    let partOpenRows = 0;
    const splitter = new PartSplitter({
      baseName: plan.baseName,
      encoder,
      openPart: (name) => openGzipEntryPart(gzipPartPath(ctx.dir, name), name, { level: limits.gzipLevel }),
      maxRowsPerPart: limits.maxRowsPerPart,
      maxBytesPerPart: limits.maxBytesPerPart,
      maxTotalRows: Math.max(0, rowCap - cp.rows),
      maxTotalBytes: Math.max(0, limits.maxBytes - usedBytes()),
      firstPartNumber: cp.parts.length + 1,
      emptyPart: !resumed,
      onPartClosed: async (part, lastRow) => {
        cp.parts.push(part);
        cp.rows += part.rows;
        openRows -= part.rows;
        partOpenRows -= part.rows;
        if (lastRow !== undefined) cp.searchAfter = cursorOf(lastRow) ?? cp.searchAfter;
        if (cp.formulaCells !== null) cp.formulaCells = encoder.stats().formulaCellsEscaped;
        await save(true);
      },
    });
    try {
      const request = cp.searchAfter === null ? plan.request : { ...plan.request, searchAfter: cp.searchAfter };
      for await (const hits of ctx.store.stream(set, request, { pageSize: limits.pageSize, signal })) {
        signal.throwIfAborted();
        const rows = hits.map((h) => mask(h.row));
        before = batch.at(-1) ?? before;
        batch = hits;
        const accepted = await splitter.write(rows);
        openRows += accepted;
        partOpenRows += accepted;
        await tick(accepted);
        if (accepted < rows.length) break;
      }
      signal.throwIfAborted();
      await splitter.finish();
    } catch (err) {
      openRows -= partOpenRows;
      await splitter.abort().catch(() => undefined);
      throw err;
    }
    cp.done = true;
    cp.limit = splitter.limitReached;
    await save(true);
  };

  if (task.quick) {
    // Each slice gets an equal share of the row cap (bk-log capped each slice on its own).
    const share = Math.ceil(limits.maxRows / plans.length);
    await Promise.all(plans.map((p) => run(p, share)));
  } else {
    for (const p of plans) {
      const before = all().filter((s) => s !== checkpoint.streams[p.key]).reduce((n, s) => n + s.rows, 0);
      await run(p, Math.max(0, limits.maxRows - before));
    }
  }
  await saving;
}

/** Truncation warnings (never silent): one per cap that stopped a stream. */
export function capWarnings(checkpoint: TaskCheckpoint, limits: ExportLimits): string[] {
  const streams = Object.values(checkpoint.streams);
  const exported = streams.reduce((n, s) => n + s.rows, 0);
  const warnings: string[] = [];
  if (streams.some((s) => s.limit === 'rows')) warnings.push(rowCapWarning(exported, checkpoint.matching, limits.maxRows));
  if (streams.some((s) => s.limit === 'bytes')) warnings.push(byteCapWarning(exported, checkpoint.matching, limits.maxBytes));
  return warnings;
}

/** Packs the finished parts (in plan order) and the manifest into `<dir>/<file>`; returns its size. */
export async function buildArchive(
  ctx: Pick<PipelineContext, 'task' | 'dir'>,
  plans: StreamPlan[],
  checkpoint: TaskCheckpoint,
  fileName: string,
  warnings: string[],
): Promise<number> {
  const { task } = ctx;
  const parts: PartSummary[] = plans.flatMap((p) => checkpoint.streams[p.key]?.parts ?? []);
  const input = task.requestParam as NormalizedExportInput;
  const cells = Object.values(checkpoint.streams).map((s) => s.formulaCells);
  const manifest = buildManifest({
    taskId: task.id,
    format: task.format,
    timeZone: task.timeZone,
    fields: input.fields,
    request: task.requestParam,
    desensitized: !task.raw,
    warnings,
    parts,
    matchingRows: checkpoint.matching,
    ...(task.format === 'csv' && cells.every((c) => c !== null)
      ? { csv: { bom: false, formulaEscaping: true, formulaCellsEscaped: cells.reduce<number>((a, b) => a + (b ?? 0), 0) } }
      : {}),
  });
  const path = join(ctx.dir, fileName);
  try {
    return await writeTarGz(createWriteStream(path), [
      ...parts.map((part) => gzipPartEntry(ctx.dir, part)),
      { name: MANIFEST_FILE_NAME, content: manifestBytes(manifest) },
    ]);
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
}
