import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarGz } from '../testing/read-tar-gz.ts';
import { gzipPartEntry, gzipPartPath, openGzipEntryPart } from './gzip-entry-part.ts';
import type { WrittenPart } from './part-output.ts';
import { writeTarGz, type TarGzEntry } from './write-tar-gz.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tar-gz-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Extracts with the system tar (GNU), independent of our code; entries in archive order. */
async function systemExtract(archive: string): Promise<Array<{ name: string; content: Buffer }>> {
  const out = await mkdtemp(join(dir, 'x-'));
  execFileSync('tar', ['-xzf', archive, '-C', out]);
  const order = execFileSync('tar', ['-tzf', archive]).toString().split('\n').filter((n) => n !== '');
  expect((await readdir(out)).sort()).toEqual([...order].sort());
  return Promise.all(order.map(async (name) => ({ name, content: await readFile(join(out, name)) })));
}

/** Writes `content` as a gzip part in `chunkSize` pieces. */
async function gzipPart(name: string, content: Buffer, chunkSize = 65_536): Promise<WrittenPart> {
  const part = await openGzipEntryPart(gzipPartPath(dir, name), name);
  for (let i = 0; i < content.length; i += chunkSize) await part.write(content.subarray(i, i + chunkSize));
  return part.end();
}

describe('openGzipEntryPart + writeTarGz', () => {
  it('compresses at the level asked for (gzip header XFL: 4 = fastest, 2 = best)', async () => {
    const text = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `row ${i} status=${i % 7} user=u${i % 313}\n`).join(''));
    const sizes: number[] = [];
    for (const level of [1, 9]) {
      const name = `level${level}.log`;
      const part = await openGzipEntryPart(gzipPartPath(dir, name), name, { level });
      await part.write(text);
      await part.end();
      const file = await readFile(gzipPartPath(dir, name));
      expect(file[8], `level ${level}`).toBe(level === 1 ? 4 : 2);
      sizes.push(file.length);
    }
    expect(sizes[1]).toBeLessThan(sizes[0]!);
  });

  it('writes an archive that GNU tar and tar-stream both read back byte for byte', async () => {
    // Not multiples of 512 (padding), empty, and a name over ustar's 100 bytes (PAX record).
    const longName = `${'n'.repeat(150)}.log`;
    const contents: Record<string, Buffer> = {
      'big_part0001.bin': randomBytes(3 * 1024 * 1024 + 17),
      'text_part0002.log': Buffer.from('line 1\nline 2 — ünïcødé\n'.repeat(999)),
      'empty_part0003.csv': Buffer.alloc(0),
      [longName]: Buffer.from('long name\n'),
    };
    const written: WrittenPart[] = [];
    for (const [name, content] of Object.entries(contents)) written.push(await gzipPart(name, content, 70_001));
    const manifest = Buffer.from('{"ok":true}\n');
    const path = join(dir, 'a.tar.gz');
    const size = await writeTarGz(createWriteStream(path), [
      ...written.map((p) => gzipPartEntry(dir, p)),
      { name: 'manifest.json', content: manifest },
    ]);

    const expected = [...Object.entries(contents), ['manifest.json', manifest] as const].map(([name, content]) => ({ name, content }));
    const bytes = await readFile(path);
    expect(size).toBe(bytes.length);
    for (const entries of [await systemExtract(path), await readTarGz(bytes)]) {
      expect(entries.map((e) => e.name)).toEqual(expected.map((e) => e.name));
      entries.forEach((e, i) => expect(e.content.equals(expected[i]!.content), e.name).toBe(true));
    }
    expect(written.map((w) => [w.name, w.bytes, w.sha256])).toEqual(
      Object.entries(contents).map(([name, content]) => [name, content.length, sha(content)]),
    );
    // Compressed: the 3 MiB of random bytes dominate; the repeated text shrinks to almost nothing.
    expect(bytes.length).toBeLessThan(3 * 1024 * 1024 + 64 * 1024);
  });

  it('parts written concurrently are each whole', async () => {
    const contents = [0, 1, 2, 3].map((i) => Buffer.from(`slice ${i}\n`.repeat(20_000 + i)));
    const parts = await Promise.all(contents.map((c, i) => gzipPart(`slice_${i}.log`, c, 4096 + i)));
    const path = join(dir, 'concurrent.tar.gz');
    await writeTarGz(createWriteStream(path), parts.map((p) => gzipPartEntry(dir, p)));
    const entries = await systemExtract(path);
    expect(entries.map((e) => e.name)).toEqual(['slice_0.log', 'slice_1.log', 'slice_2.log', 'slice_3.log']);
    entries.forEach((e, i) => expect(e.content.equals(contents[i]!)).toBe(true));
  });

  it('a part file exists under its final name only once complete; abort leaves nothing', async () => {
    const names = async (prefix: string): Promise<string[]> => (await readdir(dir)).filter((n) => n.startsWith(prefix)).sort();
    const part = await openGzipEntryPart(gzipPartPath(dir, 'b.csv'), 'b.csv');
    await part.write(Buffer.from('h\r\n'));
    expect(await names('b.csv')).toEqual(['b.csv.gz.tmp']);
    await part.end();
    expect(await names('b.csv')).toEqual(['b.csv.gz']);
    // The file is the entry body padded to a whole tar block.
    const body = gunzipSync(await readFile(gzipPartPath(dir, 'b.csv')));
    expect(body.length).toBe(512);
    expect(body.subarray(0, 3).toString()).toBe('h\r\n');
    expect(body.subarray(3).every((b) => b === 0)).toBe(true);

    const aborted = await openGzipEntryPart(gzipPartPath(dir, 'c.json'), 'c.json');
    await aborted.write(Buffer.from('['));
    await aborted.abort();
    expect(await names('c.json')).toEqual([]);
    await expect(aborted.write(Buffer.from(']'))).rejects.toThrow(/closed/);
  });

  it('opening a part in a folder that does not exist is an error, not a hang', async () => {
    await expect(openGzipEntryPart(join(dir, 'missing', 'p.log.gz'), 'p.log')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses path-like, hidden and duplicate names before writing anything', async () => {
    const bad = ['../evil.csv', 'a/b.csv', 'a\\b.csv', '..', '.hidden', '', 'x\0y', '/etc/passwd', 'sp ace.csv'];
    for (const name of bad) {
      const out = new PassThrough();
      await expect(writeTarGz(out, [{ name, content: Buffer.from('x') }]), name).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(out.readableLength, name).toBe(0);
      expect(out.destroyed, name).toBe(true);
    }
    const twice: TarGzEntry[] = [
      { name: 'once.csv', content: Buffer.from('x') },
      { name: 'once.csv', content: Buffer.from('y') },
    ];
    const out = new PassThrough();
    await expect(writeTarGz(out, twice)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(out.readableLength).toBe(0);
  });

  it('fails, and does not hang, when the output dies mid-archive', { timeout: 20_000 }, async () => {
    const part = await gzipPart('noise.bin', randomBytes(2 * 1024 * 1024));
    let seen = 0;
    const dying = new Writable({
      write(chunk: Buffer, _enc, cb) {
        seen += chunk.length;
        cb(seen > 100_000 ? new Error('disk full') : null);
      },
    });
    await expect(writeTarGz(dying, [gzipPartEntry(dir, part)])).rejects.toThrow('disk full');
  });

  it('fails when a listed part file is missing', async () => {
    const out = new PassThrough().resume();
    await expect(writeTarGz(out, [{ name: 'gone.log', bytes: 10, gzipFile: join(dir, 'gone.log.gz') }])).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('produces a valid empty archive', async () => {
    const path = join(dir, 'empty.tar.gz');
    await writeTarGz(createWriteStream(path), []);
    expect(execFileSync('tar', ['-tzf', path]).toString()).toBe('');
    expect(await readTarGz(await readFile(path))).toEqual([]);
  });
});
