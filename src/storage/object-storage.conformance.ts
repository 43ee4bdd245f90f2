import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import type { ErrorCode } from '../shared/error-codes.ts';
import type { DownloadTarget, ObjectStorage } from './object-storage.ts';

/** What a backend's test file supplies to {@link objectStorageConformance}. */
export interface ObjectStorageHarness {
  /** The storage under test, empty at the start of the suite (called after `beforeAll`). */
  storage(): ObjectStorage;
  /** The download kind this backend must answer with. */
  downloadKind: DownloadTarget['kind'];
  /**
   * A snapshot of everything the backend could have touched outside its objects (local: every
   * file beside and under the root's parent; S3: every request the server received), used to
   * prove a rejected key caused no I/O at all.
   */
  sideEffects(): Promise<string[]>;
}

/** Keys every backend must refuse: each could escape a folder or alias another key. */
export const BAD_KEYS = [
  '', '/etc/passwd', '../escape.txt', 'a/../../escape.txt', 'a/./b', 'a//b', 'a/', '..', '.',
  'a\\..\\escape.txt', 'nul\u0000byte', 'line\nbreak', 'x'.repeat(1025), 'a/b.tmp-upload',
] as const;

/** Random bytes in chunks, hashing them as they are produced, so the test never trusts storage output. */
export function randomStream(totalBytes: number, chunkBytes = 64 * 1024): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  let left = totalBytes;
  function* chunks(): Generator<Buffer> {
    while (left > 0) {
      const chunk = randomBytes(Math.min(chunkBytes, left));
      left -= chunk.length;
      hash.update(chunk);
      yield chunk;
    }
  }
  let digest: string | undefined;
  return { stream: Readable.from(chunks()), sha256: () => (digest ??= hash.digest('hex')) };
}

/** SHA-256 of everything a stream yields. */
export async function sha256Of(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
}

async function textOf(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err, `expected AppError ${code}`).toSatisfy((e: unknown) => isAppError(e, code));
}

async function keysOf(storage: ObjectStorage, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of storage.list(prefix)) keys.push(item.key);
  return keys.sort();
}

const text = (s: string): Readable => Readable.from([Buffer.from(s)]);
const MB = 1024 * 1024;

/**
 * The behaviour every {@link ObjectStorage} must show. Call inside a `describe` whose `beforeAll`
 * prepares the harness. Each test uses its own key prefix, so the order does not matter.
 */
export function objectStorageConformance(h: ObjectStorageHarness): void {
  it('round-trips a multi-megabyte stream byte for byte', async () => {
    const body = randomStream(3 * MB + 123);
    const put = await h.storage().put('rt/archive.tar.gz', body.stream, { contentType: 'application/gzip' });
    expect(put).toEqual({ key: 'rt/archive.tar.gz', size: 3 * MB + 123 });
    expect(await sha256Of(await h.storage().get('rt/archive.tar.gz'))).toBe(body.sha256());
    expect((await h.storage().stat('rt/archive.tar.gz'))?.size).toBe(3 * MB + 123);
  });

  it('uploads a body larger than one 5 MiB part (multipart on S3) intact', async () => {
    const body = randomStream(12 * MB + 7, 256 * 1024);
    const put = await h.storage().put('big/twelve.bin', body.stream, { size: 12 * MB + 7 });
    expect(put.size).toBe(12 * MB + 7);
    expect(await sha256Of(await h.storage().get('big/twelve.bin'))).toBe(body.sha256());
  });

  it('stat gives size and a recent modification time; missing objects are null / NOT_FOUND', async () => {
    const before = Date.now();
    await h.storage().put('stat/a.txt', text('hello'));
    const info = await h.storage().stat('stat/a.txt');
    expect(info?.size).toBe(5);
    // Second-resolution clocks (S3's Last-Modified) round down; allow that, not minutes of drift.
    expect(info?.modifiedAt.getTime()).toBeGreaterThanOrEqual(before - 2_000);
    expect(info?.modifiedAt.getTime()).toBeLessThanOrEqual(Date.now() + 2_000);
    expect(await h.storage().stat('stat/missing.txt')).toBeNull();
    expect(await h.storage().stat('stat')).toBeNull(); // a "folder" is not an object
    await rejectsWith(h.storage().get('stat/missing.txt'), 'NOT_FOUND');
  });

  it('put replaces an existing object', async () => {
    await h.storage().put('over/x.txt', text('first version'));
    await h.storage().put('over/x.txt', text('second'));
    expect(await textOf(await h.storage().get('over/x.txt'))).toBe('second');
    expect((await h.storage().stat('over/x.txt'))?.size).toBe(6);
  });

  it('delete removes the object and is idempotent', async () => {
    await h.storage().put('del/x.txt', text('bye'));
    await h.storage().delete('del/x.txt');
    expect(await h.storage().stat('del/x.txt')).toBeNull();
    await rejectsWith(h.storage().get('del/x.txt'), 'NOT_FOUND');
    await expect(h.storage().delete('del/x.txt')).resolves.toBeUndefined();
    await expect(h.storage().delete('del/never-existed.txt')).resolves.toBeUndefined();
    expect(await keysOf(h.storage(), 'del/')).toEqual([]);
  });

  it('lists exactly the objects under a prefix, with their sizes', async () => {
    const objects: Record<string, string> = {
      'ls/a/1.txt': '1', 'ls/a/2.txt': '22', 'ls/a/deep/3.txt': '333', 'ls/ab/4.txt': '4444', 'ls/b/5.txt': '55555',
    };
    for (const [key, body] of Object.entries(objects)) await h.storage().put(key, text(body));
    expect(await keysOf(h.storage(), 'ls/a/')).toEqual(['ls/a/1.txt', 'ls/a/2.txt', 'ls/a/deep/3.txt']);
    expect(await keysOf(h.storage(), 'ls/a')).toEqual(['ls/a/1.txt', 'ls/a/2.txt', 'ls/a/deep/3.txt', 'ls/ab/4.txt']);
    expect(await keysOf(h.storage(), 'ls/a/deep/3')).toEqual(['ls/a/deep/3.txt']);
    expect(await keysOf(h.storage(), 'ls/none/')).toEqual([]);
    const sizes: Record<string, number> = {};
    for await (const item of h.storage().list('ls/')) sizes[item.key] = item.size;
    expect(sizes).toEqual(Object.fromEntries(Object.entries(objects).map(([k, v]) => [k, v.length])));
    expect(await keysOf(h.storage(), '')).toEqual(expect.arrayContaining(Object.keys(objects)));
  });

  it('rejects bad keys with VALIDATION_FAILED before any I/O', async () => {
    const objectsBefore = await keysOf(h.storage(), '');
    const effectsBefore = await h.sideEffects();
    for (const key of BAD_KEYS) {
      const body = text('must never be stored');
      await rejectsWith(h.storage().put(key, body), 'VALIDATION_FAILED');
      await rejectsWith(h.storage().get(key), 'VALIDATION_FAILED');
      await rejectsWith(h.storage().stat(key), 'VALIDATION_FAILED');
      await rejectsWith(h.storage().delete(key), 'VALIDATION_FAILED');
      await rejectsWith(h.storage().downloadUrl(key, { expiresInSeconds: 60, filename: 'x' }), 'VALIDATION_FAILED');
    }
    await rejectsWith(keysOf(h.storage(), '../'), 'VALIDATION_FAILED');
    await rejectsWith(keysOf(h.storage(), '/abs'), 'VALIDATION_FAILED');
    expect(await h.sideEffects()).toEqual(effectsBefore);
    expect(await keysOf(h.storage(), '')).toEqual(objectsBefore);
  });

  it('does not show an object before its upload completes', async () => {
    const body = new PassThrough();
    const putting = h.storage().put('atomic/x.bin', body);
    body.write(randomBytes(MB));
    await sleep(300); // long enough for a non-atomic backend to have created the object
    expect(await h.storage().stat('atomic/x.bin')).toBeNull();
    expect(await keysOf(h.storage(), 'atomic/')).toEqual([]);
    body.end(randomBytes(10));
    await expect(putting).resolves.toEqual({ key: 'atomic/x.bin', size: MB + 10 });
    expect(await keysOf(h.storage(), 'atomic/')).toEqual(['atomic/x.bin']);
  });

  it('concurrent puts to one key leave exactly one complete body', async () => {
    const a = randomStream(2 * MB, 32 * 1024);
    const b = randomStream(2 * MB + 1, 48 * 1024);
    await Promise.all([h.storage().put('race/x.bin', a.stream), h.storage().put('race/x.bin', b.stream)]);
    const stored = await sha256Of(await h.storage().get('race/x.bin'));
    expect([a.sha256(), b.sha256()]).toContain(stored);
    expect(await keysOf(h.storage(), 'race/')).toEqual(['race/x.bin']);
  });

  it('a failing body stores nothing and keeps the previous object', async () => {
    await h.storage().put('fail/x.txt', text('previous'));
    async function* broken(): AsyncGenerator<Buffer> {
      yield randomBytes(MB);
      throw new Error('upstream export failed');
    }
    await expect(h.storage().put('fail/x.txt', Readable.from(broken()))).rejects.toThrow('upstream export failed');
    await expect(h.storage().put('fail/new.txt', Readable.from(broken()))).rejects.toThrow('upstream export failed');
    expect(await textOf(await h.storage().get('fail/x.txt'))).toBe('previous');
    expect(await keysOf(h.storage(), 'fail/')).toEqual(['fail/x.txt']);
  });

  it('a body whose size differs from the declared size is refused and stores nothing', async () => {
    await h.storage().put('size/x.txt', text('previous'));
    await rejectsWith(h.storage().put('size/x.txt', text('0123456789'), { size: 9 }), 'VALIDATION_FAILED');
    await rejectsWith(h.storage().put('size/x.txt', text('0123456789'), { size: 11 }), 'VALIDATION_FAILED');
    await rejectsWith(h.storage().put('size/y.txt', text('0123456789'), { size: 20 }), 'VALIDATION_FAILED');
    expect(await textOf(await h.storage().get('size/x.txt'))).toBe('previous');
    expect(await keysOf(h.storage(), 'size/')).toEqual(['size/x.txt']);
  });

  it(`downloadUrl answers with the backend's kind and delivers the exact bytes`, async () => {
    const body = randomStream(2 * MB + 5);
    await h.storage().put('dl/task-42.tar.gz', body.stream);
    const target = await h.storage().downloadUrl('dl/task-42.tar.gz', { expiresInSeconds: 300, filename: 'export 42 «日志».tar.gz' });
    expect(target.kind).toBe(h.downloadKind);
    if (target.kind === 'redirect') {
      const res = await fetch(target.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain('attachment');
      expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''export%2042%20%C2%AB%E6%97%A5%E5%BF%97%C2%BB.tar.gz");
      expect(await sha256Of(Readable.fromWeb(res.body as never))).toBe(body.sha256());
    } else {
      expect(await sha256Of(await h.storage().get('dl/task-42.tar.gz'))).toBe(body.sha256());
    }
    await rejectsWith(h.storage().downloadUrl('dl/missing.tar.gz', { expiresInSeconds: 300, filename: 'x' }), 'NOT_FOUND');
  });

  it.runIf(h.downloadKind === 'redirect')('a tampered download URL is refused by the server', async () => {
    await h.storage().put('tamper/mine.txt', text('my rows'));
    await h.storage().put('tamper/theirs.txt', text('their rows'));
    const target = await h.storage().downloadUrl('tamper/mine.txt', { expiresInSeconds: 60, filename: 'mine.txt' });
    if (target.kind !== 'redirect') throw new Error('expected a redirect');
    const genuine = await fetch(target.url);
    expect(await genuine.text()).toBe('my rows');
    const otherKey = target.url.replace('/tamper/mine.txt', '/tamper/theirs.txt');
    const longer = target.url.replace('X-Amz-Expires=60', 'X-Amz-Expires=604800');
    for (const forged of [otherKey, longer]) {
      expect(forged).not.toBe(target.url);
      const res = await fetch(forged);
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain('rows');
    }
  });

  it.runIf(h.downloadKind === 'redirect')('an expired download URL is refused by the server', async () => {
    await h.storage().put('exp/x.txt', text('secret rows'));
    const target = await h.storage().downloadUrl('exp/x.txt', { expiresInSeconds: 1, filename: 'x.txt' });
    if (target.kind !== 'redirect') throw new Error('expected a redirect');
    await sleep(2_100);
    const res = await fetch(target.url);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('secret rows');
  });
}
