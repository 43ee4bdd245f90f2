import type { LogRow } from '../../store/log-row.ts';
import { ChunkBuffer, DEFAULT_CHUNK_BYTES } from '../formats/chunk-buffer.ts';
import type { RowEncoder } from '../formats/export-format.ts';
import type { OpenPart, PartOutput, WrittenPart } from './part-output.ts';
import { sanitizeFileName } from './safe-file-name.ts';

/** A closed part as the manifest lists it. */
export interface PartSummary extends WrittenPart {
  /** 1-based part number (the `0001` in the name). */
  index: number;
  rows: number;
  firstRowId: string | null;
  lastRowId: string | null;
}

/** Which export-wide cap refused a row, if any. */
export type LimitReached = 'rows' | 'bytes' | null;

export interface PartSplitterOptions {
  /** File name stem; sanitised. Parts are `<base>_part0001.<ext>`. */
  baseName: string;
  encoder: RowEncoder;
  openPart: OpenPart;
  /** Default 1,000,000. */
  maxRowsPerPart?: number;
  /** Uncompressed bytes per part, default 256 MiB. A single row larger than this gets a part of its own. */
  maxBytesPerPart?: number;
  /** Export-wide caps; rows beyond them are refused and `limitReached` says which cap. Default none. */
  maxTotalRows?: number;
  maxTotalBytes?: number;
  /** Number of the first part, for resuming after `n` finished parts. Default 1. */
  firstPartNumber?: number;
  chunkBytes?: number;
  /** When no row is written at all, still write one (header-only / `[]`) part. Default true. */
  emptyPart?: boolean;
  /**
   * Called after each part is complete (`end()` resolved: for archive parts, appended to the tar
   * stream; for atomic file parts, renamed into place): the place to checkpoint. `lastRow` is the
   * part's last row, so the pipeline can resume after it (its search_after values).
   */
  onPartClosed?: (part: PartSummary, lastRow: LogRow | undefined) => void | Promise<void>;
}

/** Builds a part's file name: `<base>_part0001.csv`. */
export function partFileName(baseName: string, index: number, extension: string): string {
  return sanitizeFileName(`${baseName}_part${String(index).padStart(4, '0')}.${extension}`);
}

/**
 * Feeds rows into parts, rolling to a new part at the row or byte limit, and stops at export-wide
 * caps. Output goes through `openPart` (gzip part files in the export's work folder) in Buffers of
 * about `chunkBytes`.
 *
 * Byte limits are exact: a part never exceeds `maxBytesPerPart` unless one row alone does, and the
 * parts together never exceed `maxTotalBytes`. Each row is encoded straight into the output buffer,
 * which measures it; a row that does not fit is dropped from the buffer and goes to the next part.
 */
export class PartSplitter {
  private readonly o: Required<Omit<PartSplitterOptions, 'onPartClosed'>> & Pick<PartSplitterOptions, 'onPartClosed'>;
  private readonly closeReserve: number;
  private readonly completed: PartSummary[] = [];
  private readonly chunks: ChunkBuffer;
  private out: PartOutput | null = null;
  private partNumber: number;
  private partRows = 0;
  /** Bytes of the open part, flushed or still buffered. */
  private partBytes = 0;
  private firstRowId: string | null = null;
  private lastRow: LogRow | undefined;
  private committedBytes = 0;
  private totalRows = 0;
  private limit: LimitReached = null;

  constructor(options: PartSplitterOptions) {
    this.o = {
      maxRowsPerPart: 1_000_000,
      maxBytesPerPart: 256 * 1024 * 1024,
      maxTotalRows: Number.POSITIVE_INFINITY,
      maxTotalBytes: Number.POSITIVE_INFINITY,
      firstPartNumber: 1,
      chunkBytes: DEFAULT_CHUNK_BYTES,
      emptyPart: true,
      ...options,
      baseName: sanitizeFileName(options.baseName),
    };
    if (!(this.o.maxRowsPerPart >= 1) || !(this.o.maxBytesPerPart >= 1) || !(this.o.firstPartNumber >= 1)) {
      throw new RangeError('part limits and the first part number must be at least 1');
    }
    this.partNumber = this.o.firstPartNumber;
    this.chunks = new ChunkBuffer(this.o.chunkBytes);
    this.closeReserve = Math.max(Buffer.byteLength(this.o.encoder.close(0)), Buffer.byteLength(this.o.encoder.close(1)));
  }

  /** Rows accepted so far. */
  get rows(): number {
    return this.totalRows;
  }

  /** Bytes of closed parts plus the open part's. */
  get bytes(): number {
    return this.committedBytes + this.partBytes;
  }

  get limitReached(): LimitReached {
    return this.limit;
  }

  get parts(): readonly PartSummary[] {
    return this.completed;
  }

  /**
   * Writes rows in order; resolves with how many were accepted. Fewer than `rows.length` means an
   * export-wide cap was reached (see `limitReached`); later calls accept nothing. Await each call
   * before the next (one splitter is one ordered stream; use one splitter per parallel slice).
   */
  async write(rows: readonly LogRow[]): Promise<number> {
    const { encoder, maxRowsPerPart, maxBytesPerPart, maxTotalRows, maxTotalBytes } = this.o;
    const chunks = this.chunks;
    let accepted = 0;
    for (const row of rows) {
      if (this.limit) break;
      if (this.totalRows >= maxTotalRows) {
        this.limit = 'rows';
        break;
      }
      if (this.out && this.partRows >= maxRowsPerPart) await this.closePart();
      if (!this.out) await this.openNextPart();
      let text = encoder.row(row, this.partRows);
      if (chunks.mustTakeBefore(text)) await this.flush();
      let size = chunks.stage(text);
      if (this.partRows > 0 && this.partBytes + size + this.closeReserve > maxBytesPerPart) {
        await this.closePart();
        await this.openNextPart();
        text = encoder.row(row, 0);
        if (chunks.mustTakeBefore(text)) await this.flush();
        size = chunks.stage(text);
      }
      if (this.committedBytes + this.partBytes + size + this.closeReserve > maxTotalBytes) {
        this.limit = 'bytes';
        if (this.partRows === 0) await this.discardOpenPart();
        break;
      }
      chunks.commit();
      this.partBytes += size;
      this.firstRowId ??= row.id;
      this.lastRow = row;
      this.partRows++;
      this.totalRows++;
      accepted++;
    }
    return accepted;
  }

  /** Closes the open part and returns every part written by this splitter. */
  async finish(): Promise<PartSummary[]> {
    if (!this.out && this.completed.length === 0 && this.totalRows === 0 && this.o.emptyPart) await this.openNextPart();
    if (this.out) await this.closePart();
    return [...this.completed];
  }

  /** Discards the open part (already closed parts are the caller's to clean up). */
  async abort(): Promise<void> {
    const out = this.out;
    this.out = null;
    this.chunks.take();
    if (out) await out.abort();
  }

  private async put(text: string): Promise<void> {
    if (this.chunks.mustTakeBefore(text)) await this.flush();
    this.partBytes += this.chunks.append(text);
  }

  private async flush(): Promise<void> {
    const buf = this.chunks.take();
    if (buf && this.out) await this.out.write(buf);
  }

  private async openNextPart(): Promise<void> {
    const name = partFileName(this.o.baseName, this.partNumber, this.o.encoder.extension);
    this.out = await this.o.openPart(name);
    this.partRows = 0;
    this.partBytes = 0;
    this.firstRowId = null;
    this.lastRow = undefined;
    await this.put(this.o.encoder.open());
  }

  /** Drops a part that was opened for a row that then did not fit the total cap. */
  private async discardOpenPart(): Promise<void> {
    const out = this.out;
    this.out = null;
    this.chunks.take();
    this.partBytes = 0;
    if (out) await out.abort();
  }

  private async closePart(): Promise<void> {
    const out = this.out;
    if (!out) return;
    await this.put(this.o.encoder.close(this.partRows));
    await this.flush();
    this.out = null;
    const written = await out.end();
    const lastRow = this.lastRow;
    const summary: PartSummary = {
      ...written,
      index: this.partNumber,
      rows: this.partRows,
      firstRowId: this.firstRowId,
      lastRowId: lastRow?.id ?? null,
    };
    this.completed.push(summary);
    this.committedBytes += written.bytes;
    this.partBytes = 0;
    this.partRows = 0;
    this.partNumber++;
    await this.o.onPartClosed?.(summary, lastRow);
  }
}
