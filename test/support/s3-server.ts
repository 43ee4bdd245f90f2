import { fork, type ChildProcess } from 'node:child_process';
import { stopChild } from './stop-child.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './postgres-server.ts';

/** A real S3-compatible server (s3rver) in a child process on loopback; see s3-server-child.mjs. */
export interface S3Server {
  /** e.g. `http://127.0.0.1:41234`; use with `forcePathStyle: true`. */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly bucket: string;
  /** s3rver's built-in account: it knows only this key pair. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Folder s3rver keeps objects in. */
  readonly directory: string;
  /** Every HTTP request the server received so far (method and URL with query). */
  requests(): Promise<Array<{ method: string; url: string }>>;
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./s3-server-child.mjs', import.meta.url));

function waitFor<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`s3rver child: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (msg: unknown): void => {
      if (typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === type) done(null, msg as T);
    };
    const onExit = (code: number | null): void => done(new Error(`s3rver child exited with ${code} before "${type}"`));
    function done(err: Error | null, value?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Starts s3rver on 127.0.0.1 and a free port with an empty temp folder and `bucket` created. */
export async function startS3Server(bucket = 'logsift-test'): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'logsift-s3-'));
  const port = await freePort();
  const child = fork(CHILD, [directory, String(port), bucket], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    await waitFor<{ port: number }>(child, 'ready', 20_000);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
    throw err;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    region: 'us-east-1',
    bucket,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    directory,
    async requests() {
      const reply = waitFor<{ requests: Array<{ method: string; url: string }> }>(child, 'requests', 5_000);
      child.send({ type: 'requests' });
      return (await reply).requests;
    },
    stop: () => stopChild(child, directory),
  };
}
