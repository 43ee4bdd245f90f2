import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Stops a test server process (SIGTERM, SIGKILL after 5 s) and removes its folder. */
export async function stopChild(child: ChildProcess, directory: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(directory, { recursive: true, force: true });
}
