import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveWriter } from './archive-writer.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archive-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Extracts with the system tar, independent of tar-stream; returns entries in archive order. */
async function systemExtract(archive: string): Promise<Array<{ name: string; content: Buffer }>> {
  const out = await mkdtemp(join(dir, 'x-'));
  execFileSync('tar', ['-xzf', archive, '-C', out]);
  const order = execFileSync('tar', ['-tzf', archive]).toString().trim().split('\n');
  expect((await readdir(out)).sort()).toEqual([...order].sort());
  return Promise.all(order.map(async (name) => ({ name, content: await readFile(join(out, name)) })));
}

async function* chunksOf(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describe('createArchiveWriter', () => {
  it('writes a tar.gz that the system tar reads, entries in order with exact bytes', async () => {
    const path = join(dir, 'a.tar.gz');
    const archive = createArchiveWriter(createWriteStream(path), { tmpDir: dir });
    const big = randomBytes(3 * 1024 * 1024 + 17); // not a multiple of 512: checks tar padding
    const known = Buffer.from('known size\n');
    const r1 = await archive.addPart('big_part0001.bin', chunksOf(big, 70_000));
    const r2 = await archive.addPart('known.txt', Readable.from([known]), known.length);
    const part = await archive.openPart('streamed.log');
    await part.write(Buffer.from('line 1\n'));
    await part.write(Buffer.from('line 2 — ünïcødé\n'));
    const r3 = await part.end();
    const r4 = await archive.addFile('manifest.json', '{"ok":true}\n');
    const summary = await archive.finalize();

    const entries = await systemExtract(path);
    expect(entries.map((e) => e.name)).toEqual(['big_part0001.bin', 'known.txt', 'streamed.log', 'manifest.json']);
    expect(entries[0]!.content.equals(big)).toBe(true);
    expect(entries[1]!.content.toString()).toBe('known size\n');
    expect(entries[2]!.content.toString()).toBe('line 1\nline 2 — ünïcødé\n');
    expect(entries[3]!.content.toString()).toBe('{"ok":true}\n');
    expect([r1, r2, r3, r4].map((r) => r.sha256)).toEqual(entries.map((e) => sha(e.content)));
    expect([r1, r2, r3, r4].map((r) => r.bytes)).toEqual(entries.map((e) => e.content.length));
    expect(summary.entries.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    expect(summary.compressedBytes).toBe((await readFile(path)).length);
    // Temp spool files are gone.
    expect((await readdir(dir)).filter((n) => n.startsWith('logsift-archive-'))).toEqual([]);
  });

  it('appends parts written concurrently, each whole', async () => {
    const path = join(dir, 'concurrent.tar.gz');
    const archive = createArchiveWriter(createWriteStream(path), { tmpDir: dir });
    const contents = [0, 1, 2, 3].map((i) => Buffer.from(`slice ${i}\n`.repeat(20_000 + i)));
    await Promise.all(
      contents.map(async (c, i) => {
        const part = await archive.openPart(`slice_${i}.log`);
        for await (const chunk of chunksOf(c, 4096 + i)) await part.write(chunk);
        await part.end();
      }),
    );
    await archive.finalize();
    const entries = await systemExtract(path);
    expect(entries.map((e) => e.name).sort()).toEqual(['slice_0.log', 'slice_1.log', 'slice_2.log', 'slice_3.log']);
    for (const e of entries) expect(e.content.equals(contents[Number(e.name[6])]!)).toBe(true);
  });

  it('refuses path-like, hidden and duplicate names', async () => {
    const archive = createArchiveWriter(new PassThrough().resume(), { tmpDir: dir });
    for (const bad of ['../evil.csv', 'a/b.csv', 'a\\b.csv', '..', '.hidden', '', 'x\0y', '/etc/passwd', 'sp ace.csv']) {
      await expect(archive.addFile(bad, 'x'), bad).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    await archive.addFile('once.csv', 'x');
    await expect(archive.addFile('once.csv', 'y')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await archive.finalize();
  });

  it('fails the archive when a part does not match its expected sha256', async () => {
    const archive = createArchiveWriter(new PassThrough().resume(), { tmpDir: dir });
    const data = Buffer.from('resumed part\n');
    const good = sha(data);
    await expect(archive.addPart('ok.log', Readable.from([data]), data.length, { expectSha256: good })).resolves.toMatchObject({ sha256: good });
    await expect(
      archive.addPart('changed.log', Readable.from([Buffer.from('resumed parT\n')]), data.length, { expectSha256: good }),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(archive.finalize()).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('fails when a declared size does not match the data', async () => {
    const archive = createArchiveWriter(new PassThrough().resume(), { tmpDir: dir });
    await expect(archive.addPart('short.bin', Readable.from([Buffer.from('abc')]), 10)).rejects.toThrow();
    await archive.abort();
  });

  it('abort removes spooled parts and destroys the output', async () => {
    const sub = await mkdtemp(join(dir, 'abort-'));
    const out = new PassThrough().resume();
    const archive = createArchiveWriter(out, { tmpDir: sub });
    const part = await archive.openPart('partial.csv');
    await part.write(Buffer.from('half a row'));
    expect((await readdir(sub)).length).toBe(1);
    await archive.abort(new Error('cancelled'));
    expect(out.destroyed).toBe(true);
    expect(await readdir(sub)).toEqual([]);
  });

  it('fails, and does not hang, when the output dies mid-archive', { timeout: 20_000 }, async () => {
    let seen = 0;
    const dying = new Writable({
      write(chunk: Buffer, _enc, cb) {
        seen += chunk.length;
        cb(seen > 100_000 ? new Error('disk full') : null);
      },
    });
    const archive = createArchiveWriter(dying, { tmpDir: dir, gzipLevel: 1 });
    const noise = randomBytes(4 * 1024 * 1024); // incompressible: the output sees it quickly
    await expect(archive.addPart('big.bin', chunksOf(noise, 65_536))).rejects.toThrow();
    await expect(archive.addFile('after.txt', 'x')).rejects.toThrow();
    await expect(archive.finalize()).rejects.toThrow();
  });

  it('produces a valid empty archive', async () => {
    const path = join(dir, 'empty.tar.gz');
    const archive = createArchiveWriter(createWriteStream(path), { tmpDir: dir });
    await archive.finalize();
    expect(execFileSync('tar', ['-tzf', path]).toString()).toBe('');
    await writeFile(join(dir, 'unused'), '');
  });
});
