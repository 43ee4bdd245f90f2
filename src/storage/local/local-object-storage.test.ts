import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/app-error.ts';
import { LocalObjectStorage } from './local-object-storage.ts';

// Behaviour specific to the local folder that the shared conformance suite cannot state.
describe('LocalObjectStorage', () => {
  let dir: string;
  let storage: LocalObjectStorage;
  const files = (): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'logsift-local-'));
    storage = new LocalObjectStorage({ root: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores keys as nested files under the root', async () => {
    await storage.put('exports/2026/a.txt', Readable.from([Buffer.from('abc')]));
    expect(files()).toEqual(['exports', 'exports/2026', 'exports/2026/a.txt']);
  });

  it('writes through a temp file beside the target and leaves none behind on failure', async () => {
    const body = new PassThrough();
    const putting = storage.put('tmp/x.bin', body);
    body.write(Buffer.alloc(1024));
    await sleep(100);
    expect(files().filter((f) => f.startsWith('tmp/'))).toEqual([expect.stringMatching(/^tmp\/x\.bin\..+\.tmp-upload$/)]);
    body.destroy(new Error('boom'));
    await expect(putting).rejects.toThrow('boom');
    expect(files().filter((f) => f.startsWith('tmp/'))).toEqual([]);
  });

  it('never lists stray temp files', async () => {
    writeFileSync(join(dir, 'exports', 'crashed.bin.1234.tmp-upload'), 'half');
    const keys: string[] = [];
    for await (const item of storage.list('exports/')) keys.push(item.key);
    expect(keys).toEqual(['exports/2026/a.txt']);
  });

  it('refuses a key that clashes with an object used as a folder', async () => {
    const err = await storage.put('exports/2026/a.txt/b', Readable.from([Buffer.from('x')])).catch((e: unknown) => e);
    expect(isAppError(err, 'CONFLICT')).toBe(true);
  });

  it('needs an absolute root', () => {
    expect(() => new LocalObjectStorage({ root: 'relative/dir' })).toThrow(/absolute/);
  });
});
