import { createHash } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';

/** A finished part: what the manifest lists. */
export interface WrittenPart {
  name: string;
  bytes: number;
  /** Hex SHA-256 of the part's bytes. */
  sha256: string;
}

/**
 * Where a part's bytes go. `write` resolves when the sink can take more (backpressure); the
 * caller must not call `write` again before the previous promise settled. `end` completes the part;
 * `abort` discards it.
 */
export interface PartOutput {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<WrittenPart>;
  abort(): Promise<void>;
}

/** Opens the output for the part called `name` (already a safe file name). */
export type OpenPart = (name: string) => Promise<PartOutput>;

/** A part written to a local file, for spooling before tar and for durable part files (resume). */
export interface FilePartOutput extends PartOutput {
  readonly path: string;
}

/**
 * Writes a part to `path` (created or truncated), hashing as it goes. One write is kept in flight
 * while the caller encodes the next chunk, so encoding and disk I/O overlap; a chunk must not be
 * modified after `write` returns.
 *
 * With `atomic`, bytes go to `<path>.tmp`, which `end()` syncs and renames to `path`: after a crash a
 * file at `path` is always a complete part (logcli's resumable `.part.tmp` scheme), so a resumed
 * export keeps finished parts and redoes only the unfinished one.
 */
export async function openFilePart(path: string, name: string, options: { atomic?: boolean } = {}): Promise<FilePartOutput> {
  const target = options.atomic ? `${path}.tmp` : path;
  const handle: FileHandle = await open(target, 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let closed = false;

  const writeAll = async (chunk: Buffer): Promise<void> => {
    let offset = 0;
    while (offset < chunk.length) {
      const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
      offset += bytesWritten;
    }
  };

  return {
    path,
    async write(chunk: Buffer): Promise<void> {
      if (closed) throw new Error(`part ${name} is closed`);
      await inFlight;
      hash.update(chunk);
      bytes += chunk.length;
      inFlight = writeAll(chunk);
      // Surface a failure on the next call instead of an unhandled rejection.
      inFlight.catch(() => undefined);
    },
    async end(): Promise<WrittenPart> {
      if (closed) throw new Error(`part ${name} is closed`);
      closed = true;
      try {
        await inFlight;
        if (options.atomic) await handle.sync();
      } finally {
        await handle.close();
      }
      if (options.atomic) await rename(target, path);
      return { name, bytes, sha256: hash.digest('hex') };
    },
    async abort(): Promise<void> {
      if (!closed) {
        closed = true;
        await inFlight.catch(() => undefined);
        await handle.close().catch(() => undefined);
      }
      await rm(target, { force: true });
    },
  };
}
