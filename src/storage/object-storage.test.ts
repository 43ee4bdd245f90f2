import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { startS3Server, type S3Server } from '../../test/support/s3-server.ts';
import { createObjectStorage } from './create-object-storage.ts';
import { objectStorageConformance, type ObjectStorageHarness } from './object-storage.conformance.ts';
import type { ObjectStorage, StorageType } from './object-storage.ts';

/** A harness with its lifecycle; one per storage type, so a new type without one is a type error. */
interface Backend extends ObjectStorageHarness {
  start(): Promise<void>;
  stop(): Promise<void>;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} not started`);
  return value;
}

function localBackend(): Backend {
  let dir: string | undefined;
  let storage: ObjectStorage | undefined;
  return {
    downloadKind: 'stream',
    async start() {
      dir = mkdtempSync(join(tmpdir(), 'logsift-local-storage-'));
      mkdirSync(join(dir, 'root'));
      storage = await createObjectStorage({ type: 'local', options: { root: join(dir, 'root'), fsync: true } });
    },
    async stop() {
      await storage?.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
    storage: () => required(storage, 'local storage'),
    // Everything under the root's parent: an escaping key would create a file beside `root`.
    async sideEffects() {
      return readdirSync(required(dir, 'local storage'), { recursive: true, encoding: 'utf8' }).sort();
    },
  };
}

function s3Backend(): Backend {
  let server: S3Server | undefined;
  let storage: ObjectStorage | undefined;
  return {
    downloadKind: 'redirect',
    async start() {
      server = await startS3Server('conformance');
      storage = await createObjectStorage({
        type: 's3',
        options: {
          endpoint: server.endpoint, region: server.region, bucket: server.bucket, forcePathStyle: true,
          accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, partSizeBytes: 5 * 1024 * 1024,
        },
      });
    },
    async stop() {
      await storage?.close();
      await server?.stop();
    },
    storage: () => required(storage, 'S3 storage'),
    // Every request the S3 server saw: a rejected key must not have reached it at all.
    async sideEffects() {
      return (await required(server, 'S3 server').requests()).map((r) => `${r.method} ${r.url}`);
    },
  };
}

const BACKENDS: Record<StorageType, () => Backend> = { local: localBackend, s3: s3Backend };

for (const [type, make] of Object.entries(BACKENDS)) {
  describe(`ObjectStorage conformance: ${type}`, () => {
    const backend = make();
    beforeAll(() => backend.start());
    afterAll(() => backend.stop());
    objectStorageConformance(backend);
  });
}
