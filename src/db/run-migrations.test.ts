import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'logsift-mig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runChild(script: string, file: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((res) => {
    const c = spawn(process.execPath, ['--import', 'tsx', script, file]);
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.once('close', (code) => res({ code, out, err }));
  });
}

describe('runMigrations on SQLite', () => {
  it('lets several processes migrate one fresh file at the same time', async () => {
    const script = resolve(import.meta.dirname, 'migration-race.fixture.ts');
    const file = join(dir, 'shared.db');
    const results = await Promise.all(Array.from({ length: 4 }, () => runChild(script, file)));
    for (const r of results) {
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out)).toEqual(['probe_a', 'probe_b']);
    }
  });
});
