import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../../test/support/s3-server.ts';
import { isAppError } from '../../shared/app-error.ts';
import { randomStream, sha256Of } from '../object-storage.conformance.ts';
import { S3ObjectStorage, type S3ObjectStorageOptions } from './s3-object-storage.ts';

// Behaviour specific to S3 that the shared conformance suite cannot state for every backend.
describe('S3ObjectStorage against a real S3 server', () => {
  let server: S3Server;
  let storage: S3ObjectStorage;
  const MB = 1024 * 1024;
  const options = (): S3ObjectStorageOptions => ({
    endpoint: server.endpoint, region: server.region, bucket: server.bucket, forcePathStyle: true,
    accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, partSizeBytes: 5 * MB,
  });
  const requestsFor = async (key: string): Promise<string[]> =>
    (await server.requests()).filter((r) => r.url.includes(`/${key}`)).map((r) => `${r.method} ${r.url.split('?')[1] ?? ''}`);

  beforeAll(async () => {
    server = await startS3Server('s3-specific');
    storage = new S3ObjectStorage(options());
  });
  afterAll(async () => {
    await storage.close();
    await server.stop();
  });

  it('uploads a 12 MiB body as three 5 MiB-max parts (streamed, not one PUT)', async () => {
    const body = randomStream(12 * MB, 128 * 1024);
    await storage.put('mp/big.bin', body.stream);
    const requests = await requestsFor('mp/big.bin');
    expect(requests.filter((r) => r.startsWith('POST uploads'))).toHaveLength(1);
    expect(requests.filter((r) => r.includes('x-id=UploadPart'))).toHaveLength(3);
    expect(requests.filter((r) => r.includes('x-id=PutObject'))).toHaveLength(0);
    expect(await sha256Of(await storage.get('mp/big.bin'))).toBe(body.sha256());
  });

  it('aborts the multipart upload when the body fails after the first part', async () => {
    async function* failsAfterSixMb(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 6; i++) yield randomBytes(MB);
      throw new Error('export stream broke');
    }
    const err = await storage.put('mp/broken.bin', Readable.from(failsAfterSixMb())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('export stream broke');
    const requests = await requestsFor('mp/broken.bin');
    expect(requests.some((r) => r.startsWith('POST uploads'))).toBe(true);
    expect(requests.some((r) => r.startsWith('DELETE uploadId='))).toBe(true); // AbortMultipartUpload
    expect(await storage.stat('mp/broken.bin')).toBeNull();
  });

  it('stops uploading when the caller aborts', async () => {
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<Buffer> {
      yield randomBytes(MB);
      controller.abort(new Error('cancelled by user'));
      yield randomBytes(MB);
    }
    await expect(storage.put('abort/x.bin', Readable.from(slow()), { signal: controller.signal })).rejects.toThrow();
    expect(await storage.stat('abort/x.bin')).toBeNull();
  });

  it('signs download URLs for the public endpoint when one is configured', async () => {
    await storage.put('pub/x.txt', Readable.from([Buffer.from('hi')]));
    const viaPublic = new S3ObjectStorage({ ...options(), publicEndpoint: `http://localhost:${server.port}` });
    try {
      const target = await viaPublic.downloadUrl('pub/x.txt', { expiresInSeconds: 60, filename: 'x.txt' });
      expect(target.kind).toBe('redirect');
      const url = new URL(target.kind === 'redirect' ? target.url : '');
      expect(url.host).toBe(`localhost:${server.port}`);
      expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('hi');
    } finally {
      await viaPublic.close();
    }
  });

  it('refuses download lifetimes S3 cannot sign', async () => {
    await storage.put('life/x.txt', Readable.from([Buffer.from('x')]));
    for (const expiresInSeconds of [0, -5, 1.5, 604_801]) {
      const err = await storage.downloadUrl('life/x.txt', { expiresInSeconds, filename: 'x' }).catch((e: unknown) => e);
      expect(isAppError(err, 'VALIDATION_FAILED')).toBe(true);
    }
  });

  it('reports an unreachable server as DEPENDENCY_FAILED with the cause', async () => {
    const dead = new S3ObjectStorage({ ...options(), endpoint: 'http://127.0.0.1:1' });
    try {
      const err = await dead.stat('x.txt').catch((e: unknown) => e);
      expect(isAppError(err, 'DEPENDENCY_FAILED')).toBe(true);
      expect((err as Error).cause).toBeInstanceOf(Error);
    } finally {
      await dead.close();
    }
  });

  it('rejects configurations S3 cannot work with', () => {
    expect(() => new S3ObjectStorage({ ...options(), partSizeBytes: MB })).toThrow(/part size/);
    expect(() => new S3ObjectStorage({ ...options(), bucket: ' ' })).toThrow(/bucket/);
  });
});

describe('S3ObjectStorage misconfiguration', () => {
  let server: S3Server;
  beforeAll(async () => {
    server = await startS3Server('exists');
  });
  afterAll(() => server.stop());

  it('a missing bucket fails puts as DEPENDENCY_FAILED naming the S3 error', async () => {
    const storage = new S3ObjectStorage({
      endpoint: server.endpoint, region: server.region, bucket: 'no-such-bucket', forcePathStyle: true,
      accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey,
    });
    try {
      const err = await storage.put('x.txt', Readable.from([Buffer.from('x')])).catch((e: unknown) => e);
      expect(isAppError(err, 'DEPENDENCY_FAILED')).toBe(true);
      expect((err as { details?: Record<string, unknown> }).details?.error).toBe('NoSuchBucket');
    } finally {
      await storage.close();
    }
  });

  it('an unknown access key is refused by the server as DEPENDENCY_FAILED', async () => {
    const storage = new S3ObjectStorage({
      endpoint: server.endpoint, region: server.region, bucket: server.bucket, forcePathStyle: true,
      accessKeyId: 'WRONG', secretAccessKey: 'WRONG',
    });
    try {
      const err = await storage.put('x.txt', Readable.from([Buffer.from('x')])).catch((e: unknown) => e);
      expect(isAppError(err, 'DEPENDENCY_FAILED')).toBe(true);
      expect((err as { details?: Record<string, unknown> }).details?.status).toBe(403);
    } finally {
      await storage.close();
    }
  });
});
