import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, paginateListObjectsV2, S3Client, type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { AppError, isAppError } from '../../shared/app-error.ts';
import { byteCounter } from '../byte-counter.ts';
import { contentDisposition } from '../content-disposition.ts';
import type {
  DownloadTarget, DownloadUrlOptions, ObjectInfo, ObjectListing, ObjectStorage, PutOptions, PutResult,
} from '../object-storage.ts';
import { validateListPrefix, validateObjectKey } from '../validate-object-key.ts';

/** Options of the S3-compatible backend (AWS, MinIO, Tencent COS, …). */
export interface S3ObjectStorageOptions {
  /** Service URL, e.g. `http://127.0.0.1:9000` (MinIO) or `https://cos.ap-guangzhou.myqcloud.com`; omit for AWS. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Static credentials; when both are omitted the SDK's default chain (env, profile, IAM role) is used. */
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key`; MinIO and most self-hosted services need it. */
  forcePathStyle?: boolean;
  /**
   * Host that browsers should download from when it differs from `endpoint` (bk-log's
   * `EXTRACT_COS_DOMAIN`): presigned URLs are signed for this endpoint instead.
   */
  publicEndpoint?: string;
  /** Multipart part size in bytes (≥ 5 MiB, S3's minimum); default 8 MiB. Memory use ≈ partSize × queueSize. */
  partSizeBytes?: number;
  /**
   * Parts uploaded in parallel; default 2. lib-storage buffers about partSize × (queueSize + 1):
   * measured peak RSS of a 512 MiB put was ~160 MiB with 2 and ~200 MiB with 4 (the export's
   * whole budget), for no clear gain against a local server.
   */
  queueSize?: number;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;

function clientConfig(options: S3ObjectStorageOptions, endpoint: string | undefined): S3ClientConfig {
  return {
    region: options.region,
    ...(endpoint === undefined ? {} : { endpoint }),
    forcePathStyle: options.forcePathStyle ?? false,
    ...(options.accessKeyId === undefined || options.secretAccessKey === undefined
      ? {}
      : {
        credentials: {
          accessKeyId: options.accessKeyId,
          secretAccessKey: options.secretAccessKey,
          ...(options.sessionToken === undefined ? {} : { sessionToken: options.sessionToken }),
        },
      }),
    // SDK ≥ 3.729 adds CRC32 checksums (aws-chunked trailers) to every upload by default; COS,
    // older MinIO and other S3 look-alikes reject or mangle those. Only send them when required.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

function httpStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('$metadata' in err)) return undefined;
  const meta = (err as { $metadata?: { httpStatusCode?: number } }).$metadata;
  return meta?.httpStatusCode;
}

function isNotFound(err: unknown): boolean {
  const name = err instanceof Error ? err.name : '';
  return name === 'NoSuchKey' || name === 'NotFound' || httpStatus(err) === 404;
}

function failed(action: string, key: string, err: unknown): AppError {
  if (isAppError(err)) return err;
  return new AppError('DEPENDENCY_FAILED', `S3 storage could not ${action} ${key}`, {
    cause: err,
    details: { key, status: httpStatus(err), error: err instanceof Error ? err.name : undefined },
  });
}

/**
 * Objects in one S3 bucket through the AWS SDK v3. `put` streams through `@aws-sdk/lib-storage`'s
 * `Upload` (multipart above one part, aborted on error so no partial object or orphan parts stay
 * behind); `downloadUrl` presigns a GET that carries `Content-Disposition: attachment` and expires.
 * Unlike bk-log, the cleanup job deletes these objects (`delete`/`list`).
 */
export class S3ObjectStorage implements ObjectStorage {
  readonly type = 's3' as const;
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly presignClient: S3Client;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(options: S3ObjectStorageOptions) {
    if (options.bucket.trim() === '' || options.region.trim() === '') {
      throw new AppError('BAD_CONFIG', 'S3 storage needs a bucket and a region');
    }
    if ((options.accessKeyId === undefined) !== (options.secretAccessKey === undefined)) {
      throw new AppError('BAD_CONFIG', 'S3 storage needs both accessKeyId and secretAccessKey, or neither');
    }
    const partSize = options.partSizeBytes ?? 8 * 1024 * 1024;
    if (partSize < MIN_PART_SIZE) {
      throw new AppError('BAD_CONFIG', `S3 part size must be at least ${MIN_PART_SIZE} bytes`, { details: { partSize } });
    }
    this.bucket = options.bucket.trim();
    this.partSize = partSize;
    this.queueSize = options.queueSize ?? 2;
    this.client = new S3Client(clientConfig(options, options.endpoint));
    this.presignClient = options.publicEndpoint === undefined
      ? this.client
      : new S3Client(clientConfig(options, options.publicEndpoint));
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<PutResult> {
    validateObjectKey(key);
    const counter = byteCounter(key, options.size);
    // Body errors (including a size mismatch) surface from the counter; remember them so the
    // caller gets its own error back rather than the SDK's wrapper.
    let bodyError: unknown;
    const onBodyError = (err: unknown): void => {
      bodyError ??= err;
    };
    body.once('error', onBodyError);
    counter.once('error', onBodyError);
    const abort = new AbortController();
    const onAbort = (): void => abort.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: body.pipe(counter),
        ContentType: options.contentType ?? 'application/octet-stream',
      },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
      abortController: abort,
    });
    body.once('error', (err) => counter.destroy(err));
    try {
      if (options.signal?.aborted === true) throw options.signal.reason;
      await upload.done();
      if (bodyError !== undefined) throw bodyError; // a late body error after an (impossible) success
      return { key, size: counter.bytes };
    } catch (err) {
      counter.destroy();
      body.destroy();
      if (bodyError !== undefined) throw bodyError;
      throw failed('write', key, err);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async get(key: string): Promise<Readable> {
    validateObjectKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!(out.Body instanceof Readable)) throw new Error('S3 returned no body stream');
      return out.Body;
    } catch (err) {
      if (isNotFound(err)) throw new AppError('NOT_FOUND', `No object ${key}`, { details: { key } });
      throw failed('read', key, err);
    }
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    validateObjectKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, modifiedAt: out.LastModified ?? new Date(0) };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw failed('stat', key, err);
    }
  }

  async delete(key: string): Promise<void> {
    validateObjectKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      if (isNotFound(err)) return; // S3 itself answers 204 for a missing key; look-alikes may 404
      throw failed('delete', key, err);
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectListing> {
    validateListPrefix(prefix);
    try {
      const pages = paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: prefix });
      for await (const page of pages) {
        for (const item of page.Contents ?? []) {
          if (item.Key === undefined) continue;
          yield { key: item.Key, size: item.Size ?? 0, modifiedAt: item.LastModified ?? new Date(0) };
        }
      }
    } catch (err) {
      throw failed('list', prefix, err);
    }
  }

  async downloadUrl(key: string, options: DownloadUrlOptions): Promise<DownloadTarget> {
    if ((await this.stat(key)) === null) throw new AppError('NOT_FOUND', `No object ${key}`, { details: { key } });
    if (!Number.isInteger(options.expiresInSeconds) || options.expiresInSeconds < 1 || options.expiresInSeconds > 604_800) {
      throw new AppError('VALIDATION_FAILED', 'A presigned URL lives 1 s to 7 days', { details: { expiresInSeconds: options.expiresInSeconds } });
    }
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: contentDisposition(options.filename),
    });
    try {
      const url = await getSignedUrl(this.presignClient, command, { expiresIn: options.expiresInSeconds });
      return { kind: 'redirect', url };
    } catch (err) {
      throw failed('presign', key, err);
    }
  }

  /** Closes the HTTP connection pools. */
  async close(): Promise<void> {
    this.client.destroy();
    if (this.presignClient !== this.client) this.presignClient.destroy();
  }
}
