import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import { createObjectStorage, OBJECT_STORAGE_FACTORIES } from './create-object-storage.ts';
import { STORAGE_TYPES } from './object-storage.ts';

describe('createObjectStorage', () => {
  it('has a factory for every storage type and builds the chosen one', async () => {
    expect(Object.keys(OBJECT_STORAGE_FACTORIES).sort()).toEqual([...STORAGE_TYPES].sort());
    const local = await createObjectStorage({ type: 'local', options: { root: '/tmp/logsift-never-written' } });
    const s3 = await createObjectStorage({ type: 's3', options: { region: 'us-east-1', bucket: 'b', endpoint: 'http://127.0.0.1:9' } });
    expect([local.type, s3.type]).toEqual(['local', 's3']);
    await Promise.all([local.close(), s3.close()]);
  });

  it('reports bad configuration as BAD_CONFIG', async () => {
    const bad = [
      () => createObjectStorage({ type: 'local', options: { root: 'relative' } }),
      () => createObjectStorage({ type: 's3', options: { region: 'us-east-1', bucket: '' } }),
      () => createObjectStorage({ type: 's3', options: { region: 'us-east-1', bucket: 'b', accessKeyId: 'only-half' } }),
      () => createObjectStorage({ type: 's3', options: { region: 'us-east-1', bucket: 'b', partSizeBytes: 1024 } }),
    ];
    for (const make of bad) {
      let thrown: unknown;
      try {
        await make();
      } catch (err) {
        thrown = err;
      }
      expect(isAppError(thrown, 'BAD_CONFIG')).toBe(true);
    }
  });
});
