import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFilePart } from './part-output.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'part-output-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openFilePart', () => {
  it('writes every chunk in order and reports size and sha256 of what is on disk', async () => {
    const part = await openFilePart(join(dir, 'a.log'), 'a.log');
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.from(`chunk ${i} ${'x'.repeat(i * 100)}\n`));
    for (const c of chunks) await part.write(c);
    const written = await part.end();
    const disk = await readFile(join(dir, 'a.log'));
    expect(disk.equals(Buffer.concat(chunks))).toBe(true);
    expect(written).toEqual({ name: 'a.log', bytes: disk.length, sha256: createHash('sha256').update(disk).digest('hex') });
  });

  it('atomic: the final name appears only when the part is complete', async () => {
    const part = await openFilePart(join(dir, 'b.csv'), 'b.csv', { atomic: true });
    await part.write(Buffer.from('h\r\n'));
    expect((await readdir(dir)).filter((n) => n.startsWith('b.csv'))).toEqual(['b.csv.tmp']);
    await part.end();
    expect((await readdir(dir)).filter((n) => n.startsWith('b.csv'))).toEqual(['b.csv']);
    expect(await readFile(join(dir, 'b.csv'), 'utf8')).toBe('h\r\n');
  });

  it('abort removes the file', async () => {
    const part = await openFilePart(join(dir, 'c.json'), 'c.json', { atomic: true });
    await part.write(Buffer.from('['));
    await part.abort();
    expect((await readdir(dir)).filter((n) => n.startsWith('c.json'))).toEqual([]);
  });
});
