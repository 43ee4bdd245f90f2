import { PassThrough } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';

/**
 * Reads a .tar.gz back with Node's gunzip and tar-stream, a reader independent of logsift's
 * writer (and strict about headers and checksums): entries in archive order with their bytes.
 */
export async function readTarGz(gz: Buffer): Promise<Array<{ name: string; content: Buffer }>> {
  const extract = tar.extract();
  const src = new PassThrough();
  src.end(gz);
  src.pipe(createGunzip()).pipe(extract);
  const out: Array<{ name: string; content: Buffer }> = [];
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    out.push({ name: entry.header.name, content: Buffer.concat(chunks) });
  }
  return out;
}
