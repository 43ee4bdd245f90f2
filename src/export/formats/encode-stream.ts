import type { LogRow } from '../../store/log-row.ts';
import { ChunkBuffer, DEFAULT_CHUNK_BYTES } from './chunk-buffer.ts';
import type { RowEncoder } from './export-format.ts';

export { DEFAULT_CHUNK_BYTES } from './chunk-buffer.ts';

/**
 * Encodes batches of rows as one complete file (no part splitting), yielding Buffers of at most
 * about `chunkBytes`. For the synchronous export and for tools; the async pipeline uses PartSplitter.
 */
export async function* encodeRows(
  encoder: RowEncoder,
  batches: AsyncIterable<readonly LogRow[]> | Iterable<readonly LogRow[]>,
  chunkBytes: number = DEFAULT_CHUNK_BYTES,
): AsyncGenerator<Buffer> {
  const chunks = new ChunkBuffer(chunkBytes);
  let index = 0;
  const put = function* (text: string): Generator<Buffer> {
    if (chunks.mustTakeBefore(text)) yield chunks.take()!;
    chunks.append(text);
  };
  yield* put(encoder.open());
  for await (const batch of batches) {
    for (const row of batch) {
      const text = encoder.row(row, index++);
      if (chunks.mustTakeBefore(text)) yield chunks.take()!;
      chunks.append(text);
    }
  }
  yield* put(encoder.close(index));
  const last = chunks.take();
  if (last) yield last;
}
