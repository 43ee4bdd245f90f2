import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { AppError } from '../../shared/app-error.ts';
import { DEFAULT_GZIP_LEVEL } from './gzip-entry-part.ts';
import { assertSafeFileName } from './safe-file-name.ts';
import { TAR_END, tarFileHeader, tarPadding } from './tar-format.ts';

/** An archive entry: a part file written by {@link openGzipEntryPart}, or small in-memory content. */
export type TarGzEntry =
  | { name: string; bytes: number; gzipFile: string }
  | { name: string; content: Buffer };

/**
 * Writes a `.tar.gz` of `entries` to `output` and resolves with the bytes written. Part files are
 * already-compressed entry bodies, copied as they are; headers, small entries and the end blocks
 * become small gzip members of their own. Entry names must be safe file names and unique
 * (VALIDATION_FAILED / ALREADY_EXISTS, checked before anything is written). `output` is ended or
 * destroyed in every case.
 */
export async function writeTarGz(output: Writable, entries: readonly TarGzEntry[], options: { mtime?: Date } = {}): Promise<number> {
  const mtime = options.mtime ?? new Date();
  try {
    const names = new Set<string>();
    for (const { name } of entries) {
      assertSafeFileName(name);
      if (names.has(name)) throw new AppError('ALREADY_EXISTS', `the archive already has an entry "${name}"`);
      names.add(name);
    }
  } catch (err) {
    // The output is ours to end either way: a file stream would otherwise keep its descriptor open.
    output.destroy();
    throw err;
  }
  const member = (buf: Buffer): Buffer => gzipSync(buf, { level: DEFAULT_GZIP_LEVEL });
  let written = 0;
  async function* members(): AsyncGenerator<Buffer> {
    for (const entry of entries) {
      if ('gzipFile' in entry) {
        yield member(tarFileHeader(entry.name, entry.bytes, mtime));
        for await (const chunk of createReadStream(entry.gzipFile, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
      } else {
        const { content } = entry;
        yield member(Buffer.concat([tarFileHeader(entry.name, content.length, mtime), content, tarPadding(content.length)]));
      }
    }
    yield member(TAR_END);
  }
  async function* counted(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      written += chunk.length;
      yield chunk;
    }
  }
  await pipeline(members(), counted, output);
  return written;
}
