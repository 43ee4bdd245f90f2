import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.ts';

const BIN = resolve(import.meta.dirname, '../bin/logsift.js');
const dir = mkdtempSync(join(tmpdir(), 'logsift-cli-'));

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(BIN, dir, args, env);
const logsift = (...args: string[]) => run(args);

const HEADER = '<Date> <Time> <Level> <Component>: <Content>';
const GOOD = ['2026-11-20 10:00:00 INFO db: connected to 10.0.0.1', '2026-11-20 10:00:01 ERROR db: time out after 30s'];
const RANGE = ['--start', '2026-11-20 00:00:00', '--end', '2026-11-21 00:00:00'];

describe('logsift CLI', () => {
  beforeAll(async () => {
    expect((await logsift('biz', 'create', '5', 'ops')).code).toBe(0);
    expect((await logsift('index-set', 'create', '--name', 'web', '--biz', '5', '--fields', 'level:keyword,component:keyword')).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const count = async () => {
    const r = await logsift('search', '--index-set', '1', ...RANGE, '--size', '1000', '--json');
    expect(r.code).toBe(0);
    return r.stdout.split('\n').filter((l) => l !== '').length;
  };

  it('writes nothing and exits 2 when --strict input has a bad line', async () => {
    const file = join(dir, 'strict.log');
    writeFileSync(file, [...GOOD, 'garbage without a header'].join('\n'));
    const r = await logsift('ingest', '--index-set', '1', '--header-format', HEADER, '--strict', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3:`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await count()).toBe(0);
  });

  it('writes the good lines, lists the bad ones and exits 3 without --strict', async () => {
    const file = join(dir, 'partial.log');
    writeFileSync(file, [GOOD[0], 'garbage', GOOD[1]].join('\n'));
    const r = await logsift('ingest', '--index-set', '1', '--header-format', HEADER, file);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${file}:2:`);
    expect(await count()).toBe(2);
    const errors = await logsift('search', '--index-set', '1', ...RANGE, '-q', 'level:ERROR AND "time out"');
    expect(errors.stdout.trim()).toBe('2026-11-20T10:00:01.000Z time out after 30s');
  });

  it('exits 2 with one clear line for bad searches', async () => {
    const cases: Array<[string[], string]> = [
      [['--start', '2026-11-21', '--end', '2026-11-20'], 'BAD_TIME_RANGE'],
      [[...RANGE, '-q', 'nofield:x'], 'UNKNOWN_FIELD'],
      [[...RANGE, '--filter', 'nofield is x'], 'UNKNOWN_FIELD'],
      [[...RANGE, '--index-set', '99'], 'INDEX_SET_NOT_FOUND'],
    ];
    for (const [args, code] of cases) {
      const r = await logsift('search', '--index-set', '1', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(code)]);
    }
  });

  it('rejects a missing file and an invalid index set without touching the store', async () => {
    expect((await logsift('ingest', '--index-set', '1', join(dir, 'missing.log'))).code).toBe(2);
    const bad = await logsift('index-set', 'create', '--name', 'x', '--biz', '5', '--sort', 'nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('VALIDATION_FAILED');
    expect((await logsift('index-set', 'list')).stdout.trim().split('\n')).toHaveLength(1);
  });

  it('queues an export without a running worker, then a --wait run finishes it and its own', async () => {
    // Regression: the job tables were migrated lazily inside the create transaction, on a second
    // connection waiting for the lock that transaction held, so `export create` hung.
    const queued = await logsift('export', 'create', '--index-set', '1', ...RANGE);
    expect(queued.code, queued.stderr).toBe(0);
    const id = queued.stdout.trim();
    expect((JSON.parse((await logsift('export', 'status', id)).stdout) as { exportStatus: unknown }).exportStatus).toBe('queued');
    const waited = await logsift('export', 'create', '--index-set', '1', ...RANGE, '--format', 'csv', '--wait');
    expect(waited.code, waited.stderr).toBe(0);
    const list = (await logsift('export', 'list', '--biz', '5')).stdout.trim().split('\n');
    expect(list.map((l) => l.split('\t').slice(0, 2))).toEqual([[waited.stdout.trim(), 'success'], [id, 'success']]);
  });

  it('reports a bad configuration with every problem and exits 2', async () => {
    const r = await run(['index-set', 'list'], { LOGSIFT_HTTP_PORT: 'abc', LOGSIFT_LOG_LEVEL: 'loud' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('LOGSIFT_HTTP_PORT');
    expect(r.stderr).toContain('LOGSIFT_LOG_LEVEL');
  });
});
