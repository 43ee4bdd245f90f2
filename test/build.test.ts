/**
 * The production build (`npm run build`): the bundled CLI must do what `npx logsift` does. It
 * exercises what a bundle can break: the read workers started from a file next to the bundle,
 * package.json and demo/ found from a different depth, and the export pipeline end to end.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.ts';

const root = resolve(import.meta.dirname, '..');
// Inside the repository, as `dist/` is: the bundle finds package.json and node_modules above it.
mkdirSync(join(root, '.vitest-tmp'), { recursive: true });
const out = mkdtempSync(join(root, '.vitest-tmp', 'build-'));
const dataDir = join(out, 'data');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

const logsift = (...args: string[]) => runCli(join(out, 'logsift.js'), dataDir, args);

describe('npm run build', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--outdir', out], { cwd: root });
  }, 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('bundles a CLI that ingests, searches and exports like the TypeScript one', { timeout: 60_000 }, async () => {
    expect((await logsift('biz', 'create', '5', 'ops')).code).toBe(0);
    expect((await logsift('index-set', 'create', '--name', 'web', '--biz', '5', '--fields', 'level:keyword')).code).toBe(0);
    const lines = Array.from({ length: 30 }, (_, i) => `2026-11-20 10:00:${String(i).padStart(2, '0')} ${i % 3 === 0 ? 'ERROR' : 'INFO'} db: event ${i}`);
    const file = join(out, 'a.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const ingest = await logsift('ingest', '--index-set', '1', '--header-format', '<Date> <Time> <Level> <Component>: <Content>', file);
    expect(ingest.code, ingest.stderr).toBe(0);

    const range = ['--start', '2026-11-20 00:00:00', '--end', '2026-11-21 00:00:00'];
    // A search runs on a read worker thread: its file must sit next to the bundle.
    const search = await logsift('search', '--index-set', '1', ...range, '-q', 'level:ERROR', '--size', '100');
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout.trim().split('\n')).toEqual(
      lines.filter((_, i) => i % 3 === 0).map((l) => `2026-11-20T${l.slice(11, 19)}.000Z ${l.slice(l.indexOf(': ') + 2)}`).reverse(),
    );

    const created = await logsift('export', 'create', '--index-set', '1', ...range, '--format', 'csv', '--wait');
    expect(created.code, created.stderr).toBe(0);
    const archive = join(out, 'export.tar.gz');
    const download = await logsift('export', 'download', created.stdout.trim(), '-o', archive);
    expect(download.code, download.stderr).toBe(0);
    const extracted = join(out, 'x');
    mkdirSync(extracted);
    execFileSync('tar', ['-xzf', archive, '-C', extracted]);
    const manifest = JSON.parse(readFileSync(join(extracted, 'manifest.json'), 'utf8')) as { tool?: { version?: string }; rows: { exported: number } };
    expect(manifest.rows.exported).toBe(30);
    expect(manifest.tool?.version).toBe(pkg.version);
  });

  it('bundled errors stay one line with the right exit code', async () => {
    const bad = await logsift('search', '--index-set', '99', '--start', '2026-11-20', '--end', '2026-11-21');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringContaining('INDEX_SET_NOT_FOUND')]);
  });
});
