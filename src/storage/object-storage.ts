import type { Readable } from 'node:stream';

/**
 * The storage backends an export archive can be uploaded to (bk-log's `storage_type`).
 * `local` is a local or NFS-mounted folder (bk-log's `nfs`); `s3` is any S3-compatible service
 * reached through the AWS SDK v3 (AWS, MinIO, Tencent COS, …).
 */
export const STORAGE_TYPES = ['local', 's3'] as const;
export type StorageType = (typeof STORAGE_TYPES)[number];

/** Options of {@link ObjectStorage.put}. */
export interface PutOptions {
  /** MIME type stored with the object (S3) — defaults to `application/octet-stream`. */
  contentType?: string;
  /** Expected size in bytes when known; a mismatch fails the put and leaves nothing behind. */
  size?: number;
  /** Aborts the upload; a partial object is never left visible. */
  signal?: AbortSignal;
}

/** What {@link ObjectStorage.put} stored. */
export interface PutResult {
  key: string;
  /** Bytes actually written. */
  size: number;
}

/** Metadata of a stored object. */
export interface ObjectInfo {
  size: number;
  modifiedAt: Date;
}

/** One entry of {@link ObjectStorage.list}. */
export interface ObjectListing extends ObjectInfo {
  key: string;
}

/** Options of {@link ObjectStorage.downloadUrl}. */
export interface DownloadUrlOptions {
  /** Lifetime of a redirect URL; ignored by backends that stream. */
  expiresInSeconds: number;
  /** File name offered to the browser (`Content-Disposition: attachment`). */
  filename: string;
}

/**
 * How the app hands an object to a browser: either redirect to a short-lived URL the backend
 * serves itself (S3 presigned GET), or stream it from {@link ObjectStorage.get} after the app has
 * checked its own signed, expiring token (local folder). Never a permanent secret URL.
 */
export type DownloadTarget = { kind: 'redirect'; url: string } | { kind: 'stream' };

/**
 * The object storage port the export feature writes archives to. Every implementation passes
 * `object-storage.conformance.ts`.
 *
 * Keys are `/`-separated relative paths (e.g. `exports/2026/11/task-42.tar.gz`). Every method
 * validates its key first and throws `AppError('VALIDATION_FAILED')` — before any I/O — for an
 * empty key, a leading `/`, `.` or `..` segments, empty segments, backslashes or control
 * characters, so a path-like file name can never escape the storage root.
 * Backend failures are `AppError('DEPENDENCY_FAILED')` with the original error as `cause`.
 */
export interface ObjectStorage {
  readonly type: StorageType;
  /**
   * Streams `body` into the object `key`, replacing any previous object. The object becomes
   * visible only once complete (local: temp file + rename; S3: multipart complete). If `body`
   * errors, nothing is stored and `put` rejects with the body's own error, unchanged; a body
   * whose length differs from `options.size` is `VALIDATION_FAILED`.
   */
  put(key: string, body: Readable, options?: PutOptions): Promise<PutResult>;
  /** Streams the object; `AppError('NOT_FOUND')` if it does not exist. */
  get(key: string): Promise<Readable>;
  /** Size and modification time, or `null` if there is no such object. */
  stat(key: string): Promise<ObjectInfo | null>;
  /** Deletes the object; deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Every object whose key starts with `prefix` (a plain string prefix; `''` lists all), in no
   * guaranteed order. Used by the cleanup job to delete expired archives.
   */
  list(prefix: string): AsyncIterable<ObjectListing>;
  /** How to deliver the object to a browser; see {@link DownloadTarget}. */
  downloadUrl(key: string, options: DownloadUrlOptions): Promise<DownloadTarget>;
  /** Releases connection pools; idempotent. */
  close(): Promise<void>;
}
