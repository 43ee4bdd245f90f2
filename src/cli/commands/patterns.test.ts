import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(repoRoot, 'bin/logsift.js');
const dir = mkdtempSync(path.join(tmpdir(), 'logsift-patterns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function logsift(args: string[], input: string | Buffer = ''): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('logsift patterns', () => {
  it('label writes exactly one line per input line, in order, over the message text', () => {
    const input = [
      'Received block blk_3587508140051953248 of size 67108864 from /10.251.42.84',
      '',
      'Received block blk_5792489080791696128 of size 67108864 from /10.251.30.6',
      'mod_jk child workerEnv in error state 6\r',
    ].join('\n');
    const r = logsift(['patterns', 'label', '--placeholder', '<*>'], input);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'Received block <*> of size <*> from <*>', '', 'Received block <*> of size <*> from <*>', 'mod_jk child workerEnv in error state <*>', '',
    ]);
  });

  it('label survives invalid UTF-8 and NUL bytes, still one line per input line', () => {
    const input = Buffer.concat([Buffer.from('bad \xff\xfe bytes 1234\n', 'latin1'), Buffer.from([0x61, 0x00, 0x62, 0x0a]), Buffer.from('x'.repeat(50_000))]);
    const r = logsift(['patterns', 'label', '--placeholder', '<*>'], input);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('bad \uFFFD\uFFFD bytes <*>');
    expect(lines[2]?.length).toBeLessThanOrEqual(2000);
  });

  it('label --online prints each template as it was on arrival; default placeholders are #NAME#', () => {
    const r = logsift(['patterns', 'label', '--online'], 'user alice logged in from 10.0.0.1\nuser bob logged in from 10.0.0.2\n');
    expect(r.stdout).toBe('user alice logged in from #IP#\nuser #VAR# logged in from #IP#\n');
  });

  it('train writes a model that label --model continues from', () => {
    const logFile = path.join(dir, 'a.log');
    const model = path.join(dir, 'model.json');
    writeFileSync(logFile, 'job 1234 finished in 15 ms\njob 99 finished in 3 ms\n');
    const t = logsift(['patterns', 'train', logFile, '--model', model]);
    expect(t.code).toBe(0);
    expect(JSON.parse(readFileSync(model, 'utf8'))).toMatchObject({ format: 'logsift-patterns-model', version: 1 });
    const r = logsift(['patterns', 'label', '--online', '--model', model], 'job 7 finished in 1 ms\n');
    expect(r.stdout).toBe('job #NUMBER# finished in #NUMBER# ms\n');
  });

  it('debug shows the tokens with #NAME# variables', () => {
    const r = logsift(['patterns', 'debug', 'Failed password for root from 10.0.0.1 port 22 ssh2']);
    expect(r.stdout).toBe('Failed password for #USER# from #IP# port #NUMBER# ssh2\n');
  });

  it('errors are one line and a non-zero exit', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ predefined_varibles: ['EVIL:(a+)+$'] }));
    const r = logsift(['patterns', 'label', '--config', bad], 'x\n');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('BAD_PATTERN_CONFIG');
    const m = path.join(dir, 'model-bad.json');
    writeFileSync(m, '{"format":"logsift-patterns-model","version":99}');
    const r2 = logsift(['patterns', 'label', '--model', m], 'x\n');
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('BAD_MODEL_FILE');
  });
});
