import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AppError } from '../shared/app-error.ts';

/**
 * Ingest input: a byte stream (file, stdin, HTTP body), a whole body as one string or buffer, or an
 * (async) iterable of chunks. Chunks are split into lines here: a chunk need not end at a newline,
 * and an iterable of lines needs its `\n`s.
 */
export type IngestInput = Readable | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array> | string | Uint8Array;

/** One input line: its text (terminator, trailing CR and a leading BOM removed) or its size when over the cap. */
export type InputLine = { lineNo: number; text: string } | { lineNo: number; tooLongBytes: number };

export interface LineSourceStats {
  /** Bytes read from the input as given (compressed bytes for gzip input). */
  bytes: number;
  /** Bytes of decompressed text. */
  textBytes: number;
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

async function* toBuffers(input: IngestInput, stats: LineSourceStats): AsyncGenerator<Buffer> {
  const chunks = typeof input === 'string' || input instanceof Uint8Array ? [input] : input;
  for await (const chunk of chunks as AsyncIterable<string | Uint8Array>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    stats.bytes += buf.length;
    yield buf;
  }
}

/** Gunzips when the stream starts with the gzip magic bytes 1f 8b, whatever the file is called. */
async function* maybeGunzip(chunks: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  let head: Buffer = Buffer.alloc(0);
  let ended = false;
  while (head.length < 2) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (!ended) yield* chunks;
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* all();
    return;
  }
  const gunzip = createGunzip();
  // pipeline destroys gunzip with the source's error, so the loop below sees every failure.
  pipeline(Readable.from(all()), gunzip, () => undefined);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('VALIDATION_FAILED', `The input is not valid gzip: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Splits input into lines, yielding one array per input chunk (per-line async iteration would cost
 * more than parsing). Handles LF and CRLF, a last line without a newline, a UTF-8 BOM on line 1, and
 * gzip. A line longer than `maxLineBytes` is never buffered whole: it is reported by size only.
 */
export async function* readLines(
  input: IngestInput,
  stats: LineSourceStats,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<InputLine[]> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overlong = false;
  let lineNo = 0;

  const finish = (piece: Buffer): InputLine => {
    lineNo++;
    const total = pendingBytes + piece.length;
    const parts = pending;
    pending = [];
    pendingBytes = 0;
    const wasOverlong = overlong;
    overlong = false;
    // The cap counts the CR of a CRLF too; one byte of slack does not matter against a 1 MiB cap.
    if (wasOverlong || total > maxLineBytes) return { lineNo, tooLongBytes: total };
    let buf = parts.length === 0 ? piece : Buffer.concat([...parts, piece]);
    let end = buf.length;
    if (end > 0 && buf[end - 1] === 0x0d) end--;
    let start = 0;
    if (lineNo === 1 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
    if (start !== 0 || end !== buf.length) buf = buf.subarray(start, end);
    return { lineNo, text: buf.toString('utf8') };
  };
  const keep = (piece: Buffer): void => {
    if (piece.length === 0) return;
    pendingBytes += piece.length;
    if (overlong) return;
    if (pendingBytes > maxLineBytes) {
      overlong = true;
      pending = [];
      return;
    }
    pending.push(piece);
  };

  for await (const chunk of maybeGunzip(toBuffers(input, stats))) {
    stats.textBytes += chunk.length;
    const lines: InputLine[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) {
        keep(chunk.subarray(start));
        break;
      }
      lines.push(finish(chunk.subarray(start, nl)));
      start = nl + 1;
    }
    if (lines.length > 0) yield lines;
  }
  if (pendingBytes > 0) yield [finish(Buffer.alloc(0))];
}
