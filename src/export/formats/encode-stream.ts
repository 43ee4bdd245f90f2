import type { LogRow } from '../../store/log-row.ts';
import type { RowEncoder } from './export-format.ts';

/** Chunk size for output buffers: large enough to amortise writes, small enough for constant memory. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

/**
 * Encodes batches of rows as one complete file (no part splitting), yielding Buffers of about
 * `chunkBytes`. For the synchronous export and for tools; the async pipeline uses PartSplitter.
 * Rows are concatenated into a string and converted once per chunk: one UTF-8 encode per ~64 KB
 * instead of one per row.
 */
export async function* encodeRows(
  encoder: RowEncoder,
  batches: AsyncIterable<readonly LogRow[]> | Iterable<readonly LogRow[]>,
  chunkBytes: number = DEFAULT_CHUNK_BYTES,
): AsyncGenerator<Buffer> {
  let pending = encoder.open();
  let index = 0;
  for await (const batch of batches) {
    for (const row of batch) {
      pending += encoder.row(row, index++);
      // UTF-16 length is a lower bound of UTF-8 bytes: good enough for a flush threshold.
      if (pending.length >= chunkBytes) {
        yield Buffer.from(pending, 'utf8');
        pending = '';
      }
    }
  }
  pending += encoder.close(index);
  if (pending.length > 0) yield Buffer.from(pending, 'utf8');
}
