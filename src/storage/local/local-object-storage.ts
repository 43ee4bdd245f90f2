import { randomUUID } from 'node:crypto';
import { createWriteStream, type Dirent } from 'node:fs';
import { mkdir, open, opendir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, isAppError } from '../../shared/app-error.ts';
import type {
  DownloadTarget, DownloadUrlOptions, ObjectInfo, ObjectListing, ObjectStorage, PutOptions, PutResult,
} from '../object-storage.ts';
import { TEMP_SUFFIX, validateListPrefix, validateObjectKey } from '../validate-object-key.ts';
import { byteCounter } from '../byte-counter.ts';

/** Options of the local-folder backend (bk-log's NFS `EXTRACT_SAAS_STORE_DIR`). */
export interface LocalObjectStorageOptions {
  /** Absolute path of the folder objects live under; created if missing. */
  root: string;
  /**
   * fsync each file before it is renamed into place, so a power loss cannot leave a renamed but
   * empty file. Off by default: archives can be re-exported, and NFS makes fsync slow.
   */
  fsync?: boolean;
}

const MISSING = new Set(['ENOENT', 'ENOTDIR']);

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

function failed(action: string, key: string, err: unknown): AppError {
  if (isAppError(err)) return err;
  return new AppError('DEPENDENCY_FAILED', `Local storage could not ${action} ${key}`, { cause: err, details: { key } });
}

/**
 * Objects as files under one folder; the key's `/` segments become sub-folders. A put streams into
 * a uniquely named temp file next to the target and renames it into place, so readers see either
 * the old object or the complete new one — never a half-written file. Downloads are streamed by
 * the app (`{ kind: 'stream' }`), which must check its own signed, expiring token first.
 *
 * A key cannot be both an object and a "folder" of other objects here (S3 allows `a` and `a/b`);
 * such a put fails with `CONFLICT`.
 */
export class LocalObjectStorage implements ObjectStorage {
  readonly type = 'local' as const;
  readonly root: string;
  private readonly fsync: boolean;

  constructor(options: LocalObjectStorageOptions) {
    if (!isAbsolute(options.root)) {
      throw new AppError('BAD_CONFIG', 'Local storage root must be an absolute path', { details: { root: options.root } });
    }
    this.root = resolve(options.root);
    this.fsync = options.fsync ?? false;
  }

  /** Maps a validated key to its file path; re-checks containment as a second line of defence. */
  private pathOf(key: string): string {
    validateObjectKey(key);
    const path = join(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) {
      throw new AppError('VALIDATION_FAILED', 'Object key escapes the storage folder', { details: { key } });
    }
    return path;
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<PutResult> {
    const path = this.pathOf(key);
    const temp = `${path}.${randomUUID()}${TEMP_SUFFIX}`;
    const counter = byteCounter(key, options.size);
    let bodyError: unknown;
    body.once('error', (err) => {
      bodyError ??= err;
    });
    try {
      await mkdir(dirname(path), { recursive: true });
      const out = createWriteStream(temp, { flags: 'wx' });
      await pipeline(body, counter, out, options.signal ? { signal: options.signal } : {});
      if (this.fsync) await fsyncFile(temp);
      await rename(temp, path);
      return { key, size: counter.bytes };
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      if (bodyError !== undefined) throw bodyError;
      if (isAppError(err)) throw err;
      if (errnoCode(err) === 'ENOTDIR' || errnoCode(err) === 'EISDIR' || errnoCode(err) === 'EEXIST') {
        throw new AppError('CONFLICT', `Object key ${key} clashes with an existing object or folder`, { cause: err, details: { key } });
      }
      throw failed('write', key, err);
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    // Open first so a concurrent replace cannot swap the file between the check and the read.
    const handle = await open(path, 'r').catch((err: unknown) => {
      if (MISSING.has(errnoCode(err) ?? '')) throw new AppError('NOT_FOUND', `No object ${key}`, { details: { key } });
      throw failed('read', key, err);
    });
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      throw new AppError('NOT_FOUND', `No object ${key}`, { details: { key } });
    }
    return handle.createReadStream();
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    const path = this.pathOf(key);
    try {
      const info = await stat(path);
      return info.isFile() ? { size: info.size, modifiedAt: info.mtime } : null;
    } catch (err) {
      if (MISSING.has(errnoCode(err) ?? '')) return null;
      throw failed('stat', key, err);
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (err) {
      if (MISSING.has(errnoCode(err) ?? '')) return;
      if (errnoCode(err) === 'EISDIR' || errnoCode(err) === 'EPERM') return; // a folder is not an object
      throw failed('delete', key, err);
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectListing> {
    validateListPrefix(prefix);
    // Start at the deepest folder the prefix names instead of walking the whole tree.
    const slash = prefix.lastIndexOf('/');
    const startKey = slash === -1 ? '' : prefix.slice(0, slash);
    yield* this.walk(startKey, prefix);
  }

  private async *walk(folderKey: string, prefix: string): AsyncGenerator<ObjectListing> {
    const folder = folderKey === '' ? this.root : join(this.root, ...folderKey.split('/'));
    let entries: AsyncIterable<Dirent>;
    try {
      entries = await opendir(folder);
    } catch (err) {
      if (MISSING.has(errnoCode(err) ?? '')) return;
      throw failed('list', prefix, err);
    }
    for await (const entry of entries) {
      const key = folderKey === '' ? entry.name : `${folderKey}/${entry.name}`;
      if (entry.isDirectory()) {
        if (prefix.startsWith(`${key}/`) || key.startsWith(prefix)) yield* this.walk(key, prefix);
      } else if (entry.isFile() && key.startsWith(prefix) && !entry.name.endsWith(TEMP_SUFFIX)) {
        const info = await stat(join(folder, entry.name)).catch(() => null); // deleted meanwhile
        if (info !== null) yield { key, size: info.size, modifiedAt: info.mtime };
      }
    }
  }

  async downloadUrl(key: string, _options: DownloadUrlOptions): Promise<DownloadTarget> {
    if ((await this.stat(key)) === null) throw new AppError('NOT_FOUND', `No object ${key}`, { details: { key } });
    return { kind: 'stream' };
  }

  async close(): Promise<void> {
    // Nothing pooled: every call opens and closes its own file handles.
  }
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

