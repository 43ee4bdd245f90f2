import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TransformOptions } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, type ZlibOptions } from 'node:zlib';
import type { FilePartOutput, WrittenPart } from './part-output.ts';
import { tarPadding } from './tar-format.ts';
import type { TarGzEntry } from './write-tar-gz.ts';

/**
 * gzip level 1–9 for export parts (config `export.gzipLevel`). Level 1, measured on the Loghub
 * samples: ratio 8.1 at 330 MB/s, against 9.0 at 175 MB/s for level 4 and 9.9 at 110 MB/s for 6.
 * Compression runs beside the encoding, but on a busy machine its CPU is the export's CPU.
 */
export const DEFAULT_GZIP_LEVEL = 1;

/** Where the part called `name` is kept in a work folder: its tar entry body, gzip-compressed. */
export const gzipPartPath = (dir: string, name: string): string => join(dir, `${name}.gz`);

/** The archive entry for a part finished by {@link openGzipEntryPart} in `dir`. */
export const gzipPartEntry = (dir: string, part: { name: string; bytes: number }): TarGzEntry => ({
  name: part.name,
  bytes: part.bytes,
  gzipFile: gzipPartPath(dir, part.name),
});

/** Bytes queued for compression before `write` waits: keeps the encoder and zlib's thread both busy. */
const QUEUE_BYTES = 1024 * 1024;
/**
 * zlib's output buffer (Node's default is 16 KB). Each filled buffer is a round trip to the main
 * thread, which a busy encoder serves about once per 250 rows; this size holds the output of a
 * whole input chunk (see DEFAULT_CHUNK_BYTES) at the ratios of log text.
 */
const ZLIB_CHUNK_BYTES = 128 * 1024;

/**
 * Writes a part (one tar entry's body) as its own gzip member (on libuv's thread pool, so compression overlaps the
 * encoding on the main thread), padded to a whole tar block before the gzip member ends. `bytes`
 * and `sha256` describe the uncompressed content, as the manifest lists it.
 *
 * Atomic: bytes go to `<path>.tmp`, which `end()` syncs and renames, so after a crash a file at
 * `path` is always a complete part (logcli's resumable `.part.tmp` scheme: a resumed export keeps
 * finished parts and redoes only the unfinished one), and an archive is built by concatenating such files
 * between their headers, with no second compression pass and no uncompressed copy on disk.
 */
export async function openGzipEntryPart(path: string, name: string, options: { level?: number } = {}): Promise<FilePartOutput> {
  const target = `${path}.tmp`;
  const sink = createWriteStream(target);
  // A folder that is gone or a full disk fails here, before any compressor exists.
  await once(sink, 'open');
  // Node hands these stream options to the Transform underneath; @types/node's ZlibOptions omits them.
  const queue: TransformOptions = { writableHighWaterMark: QUEUE_BYTES };
  const gzip = createGzip({ level: options.level ?? DEFAULT_GZIP_LEVEL, chunkSize: ZLIB_CHUNK_BYTES, ...queue } as ZlibOptions);
  const written = pipeline(gzip, sink);
  // Surfaced by the next write or end instead of as an unhandled rejection.
  written.catch(() => undefined);
  const hash = createHash('sha256');
  let bytes = 0;
  let closed = false;

  return {
    path,
    async write(chunk: Buffer): Promise<void> {
      if (closed) throw new Error(`part ${name} is closed`);
      hash.update(chunk);
      bytes += chunk.length;
      if (!gzip.write(chunk)) await Promise.race([once(gzip, 'drain'), written]);
    },
    async end(): Promise<WrittenPart> {
      if (closed) throw new Error(`part ${name} is closed`);
      closed = true;
      gzip.end(tarPadding(bytes));
      await written;
      const handle = await open(target, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(target, path);
      return { name, bytes, sha256: hash.digest('hex') };
    },
    async abort(): Promise<void> {
      if (!closed) {
        closed = true;
        gzip.destroy();
        await written.catch(() => undefined);
      }
      await rm(target, { force: true });
    },
  };
}
