import { spawn } from 'node:child_process';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a logsift CLI entry (`bin/logsift.js` or a bundle) in a child process on `dataDir` and
 * collects its output. Asynchronous on purpose: a synchronous spawn would block vitest's worker
 * for seconds. LOGSIFT_DEBUG is cleared so errors print as users see them.
 */
export function runCli(entry: string, dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [entry, ...args, '--data-dir', dataDir], { env: { ...process.env, LOGSIFT_DEBUG: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}
