import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { AppError } from '../../shared/app-error.ts';
import { openFilePart, type PartOutput, type WrittenPart } from './part-output.ts';
import { assertSafeFileName } from './safe-file-name.ts';

export interface ArchiveWriterOptions {
  /** Parent folder for spooled parts (a private temp folder is made inside). Default `os.tmpdir()`. */
  tmpDir?: string;
  /** gzip level 1–9. Default 4: close to level 6's ratio on log text at about twice its speed. */
  gzipLevel?: number;
  /** Modification time stamped on entries. Default: when the writer was created. */
  mtime?: Date;
}

export interface ArchiveSummary {
  /** Entries in archive order. */
  entries: WrittenPart[];
  /** Bytes of the .tar.gz written to the output. */
  compressedBytes: number;
}

/**
 * A streaming `.tar.gz` writer. Entries are appended one after another; memory stays constant
 * whatever the sizes, because a tar header needs the entry size up front and parts of unknown size
 * are first spooled to a temp file (then streamed into the archive and deleted).
 *
 * Parts may be produced concurrently (parallel slices): each spools on its own and they are appended
 * in the order they finish. Entry names must be safe file names (no folders, no `..`): anything else
 * is VALIDATION_FAILED, a repeated name ALREADY_EXISTS.
 */
export interface ArchiveWriter {
  /** Opens a part to write into; its `end()` resolves once the part is in the archive. */
  openPart(name: string): Promise<PartOutput>;
  /**
   * Adds an entry from a stream. With `size`, streams straight into the archive (it must match).
   * With `expectSha256` (e.g. from a resume checkpoint), a part whose bytes changed since fails the
   * archive instead of shipping silently different data.
   */
  addPart(
    name: string,
    source: Readable | AsyncIterable<Buffer>,
    size?: number,
    options?: { expectSha256?: string },
  ): Promise<WrittenPart>;
  /** Adds a small in-memory entry (e.g. `manifest.json`). */
  addFile(name: string, content: Buffer | string): Promise<WrittenPart>;
  /** Waits for pending parts, ends the archive and the output, removes temp files. */
  finalize(): Promise<ArchiveSummary>;
  /** Stops: destroys the output with `reason` and removes temp files. */
  abort(reason?: Error): Promise<void>;
}

export function createArchiveWriter(output: Writable, options: ArchiveWriterOptions = {}): ArchiveWriter {
  const mtime = options.mtime ?? new Date();
  const pack = tar.pack();
  const gzip = createGzip({ level: options.gzipLevel ?? 4 });
  let compressedBytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      compressedBytes += chunk.length;
      cb(null, chunk);
    },
  });
  pack.on('error', (err: Error) => gzip.destroy(err));
  pack.pipe(gzip);
  const piped = pipeline(gzip, counter, output);
  let failure: Error | undefined;
  piped.catch((err: unknown) => {
    failure ??= err instanceof Error ? err : new Error(String(err));
    // An output that died must not leave a part waiting forever for 'drain': fail the open entry.
    pack.destroy(failure);
  });

  const names = new Set<string>();
  const entries: WrittenPart[] = [];
  const spools = new Set<PartOutput>();
  let tail: Promise<unknown> = Promise.resolve();
  let spoolDir: Promise<string> | undefined;
  let spoolSeq = 0;
  let state: 'open' | 'finalizing' | 'closed' = 'open';

  const reserve = (name: string): void => {
    if (state !== 'open') throw new AppError('CONFLICT', 'the archive is already finalized');
    assertSafeFileName(name);
    if (names.has(name)) throw new AppError('ALREADY_EXISTS', `the archive already has an entry "${name}"`);
    names.add(name);
  };

  /** Runs entry appends one at a time: a tar stream is strictly sequential. */
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(() => {
      if (failure) throw failure;
      return task();
    });
    tail = run.catch(() => undefined);
    return run;
  };

  const append = (
    name: string,
    source: Readable | AsyncIterable<Buffer | string> | Iterable<Buffer>,
    size: number,
    knownSha256?: string,
    expectSha256?: string,
  ): Promise<WrittenPart> =>
    serial(async () => {
      // A spooled part was hashed while spooling; hashing it again would only cost CPU.
      const hash = knownSha256 === undefined ? createHash('sha256') : null;
      let bytes = 0;
      let entryError: Error | null | undefined;
      const finished = new Promise<void>((resolve, reject) => {
        const entry = pack.entry({ name, size, mtime, mode: 0o644, type: 'file' }, (err) => {
          entryError = err;
          if (err) reject(err);
          else resolve();
        });
        entry.on('error', (err: Error) => {
          entryError = err;
          failure ??= err;
          reject(err);
        });
        void (async () => {
          try {
            for await (const raw of source) {
              const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
              hash?.update(chunk);
              bytes += chunk.length;
              if (!entry.write(chunk)) await once(entry, 'drain');
              if (entryError) return;
            }
            entry.end(null);
          } catch (err) {
            entry.destroy(err instanceof Error ? err : new Error(String(err)));
            reject(err);
          }
        })();
      });
      await finished;
      const written = { name, bytes, sha256: hash ? hash.digest('hex') : (knownSha256 ?? '') };
      if (expectSha256 !== undefined && written.sha256 !== expectSha256) {
        failure ??= new AppError('INTERNAL', `part ${name} does not match its recorded sha256`, {
          details: { name, expected: expectSha256, actual: written.sha256 },
        });
        throw failure;
      }
      entries.push(written);
      return written;
    });

  const tempDir = (): Promise<string> => (spoolDir ??= mkdtemp(join(options.tmpDir ?? tmpdir(), 'logsift-archive-')));

  const openPart = async (name: string): Promise<PartOutput> => {
    reserve(name);
    const path = join(await tempDir(), `${++spoolSeq}-${name}`);
    const spool = await openFilePart(path, name);
    spools.add(spool);
    return {
      write: (chunk) => spool.write(chunk),
      async end() {
        try {
          const spooled = await spool.end();
          return await append(name, createReadStream(path, { highWaterMark: 256 * 1024 }), spooled.bytes, spooled.sha256);
        } finally {
          spools.delete(spool);
          await rm(path, { force: true });
        }
      },
      async abort() {
        spools.delete(spool);
        names.delete(name);
        await spool.abort();
      },
    };
  };

  return {
    openPart,
    async addPart(name, source, size, options = {}) {
      if (size !== undefined) {
        reserve(name);
        return await append(name, source, size, undefined, options.expectSha256);
      }
      const part = await openPart(name);
      try {
        for await (const raw of source as AsyncIterable<Buffer | string>) {
          await part.write(typeof raw === 'string' ? Buffer.from(raw) : raw);
        }
      } catch (err) {
        await part.abort();
        throw err;
      }
      const written = await part.end();
      if (options.expectSha256 !== undefined && written.sha256 !== options.expectSha256) {
        failure ??= new AppError('INTERNAL', `part ${name} does not match its recorded sha256`, {
          details: { name, expected: options.expectSha256, actual: written.sha256 },
        });
        throw failure;
      }
      return written;
    },
    async addFile(name, content) {
      reserve(name);
      const buf = typeof content === 'string' ? Buffer.from(content) : content;
      return append(name, [buf], buf.length);
    },
    async finalize() {
      if (state !== 'open') throw new AppError('CONFLICT', 'the archive is already finalized');
      state = 'finalizing';
      await tail;
      if (failure) throw failure;
      if (spools.size > 0) throw new AppError('CONFLICT', 'parts are still open; end or abort them before finalizing');
      pack.finalize();
      try {
        await piped;
      } finally {
        state = 'closed';
        if (spoolDir) await rm(await spoolDir, { recursive: true, force: true });
      }
      return { entries: [...entries], compressedBytes };
    },
    async abort(reason) {
      state = 'closed';
      const err = reason ?? new Error('archive aborted');
      failure ??= err;
      pack.destroy(err);
      gzip.destroy(err);
      await piped.catch(() => undefined);
      await Promise.all([...spools].map((s) => s.abort()));
      spools.clear();
      if (spoolDir) await rm(await spoolDir, { recursive: true, force: true });
    },
  };
}
