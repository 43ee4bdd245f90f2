import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewLogRow } from '../store/log-row.ts';
import { readLines } from './line-source.ts';

/**
 * Holds parsed rows for strict mode until the whole input is known to be good. Rows stay in memory
 * up to `memoryRows`, then everything spills to a temporary NDJSON file, so a large strict ingest
 * runs in bounded memory. Strict mode buffers instead of reading the input twice because stdin and
 * HTTP bodies cannot be re-read.
 */
export class RowSpool {
  private rows: NewLogRow[] = [];
  private dir: string | undefined;
  private file: FileHandle | undefined;
  private path = '';
  count = 0;

  constructor(
    private readonly memoryRows: number,
    private readonly tempRoot: string = tmpdir(),
  ) {}

  async add(rows: NewLogRow[]): Promise<void> {
    this.count += rows.length;
    for (const row of rows) this.rows.push(row);
    if (this.file === undefined && this.rows.length <= this.memoryRows) return;
    if (this.file === undefined) {
      this.dir = await mkdtemp(join(this.tempRoot, 'logsift-ingest-'));
      this.path = join(this.dir, 'rows.ndjson');
      this.file = await open(this.path, 'w');
    }
    await this.file.write(this.rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    this.rows = [];
  }

  /** Yields the spooled rows in insertion order, `batchSize` at a time. */
  async *replay(batchSize: number): AsyncGenerator<NewLogRow[]> {
    if (this.file === undefined) {
      for (let i = 0; i < this.rows.length; i += batchSize) yield this.rows.slice(i, i + batchSize);
      return;
    }
    await this.file.close();
    this.file = undefined;
    let batch: NewLogRow[] = [];
    const stats = { bytes: 0, textBytes: 0 };
    for await (const lines of readLines(createReadStream(this.path), stats, Number.MAX_SAFE_INTEGER)) {
      for (const line of lines) {
        if ('text' in line) batch.push(JSON.parse(line.text) as NewLogRow);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** Drops everything and removes the temporary file; safe to call more than once. */
  async discard(): Promise<void> {
    this.rows = [];
    await this.file?.close();
    this.file = undefined;
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
