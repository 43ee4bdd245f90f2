import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import { databaseTargetFromConfig } from './database-target-from-config.ts';
import { type ConfigProblem, loadConfig, type LoadConfigOptions } from './load-config.ts';
import { redactConfig } from './redact-config.ts';
import { renderConfigTable } from './render-config-table.ts';
import { storageConfigFromConfig } from './storage-config-from-config.ts';
import { unknownEnvVars } from './unknown-env-vars.ts';

const tmp = mkdtempSync(join(tmpdir(), 'logsift-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SECRET = 'x'.repeat(40);

function problemsOf(options: LoadConfigOptions): ConfigProblem[] {
  try {
    loadConfig(options);
  } catch (err) {
    if (isAppError(err, 'BAD_CONFIG')) return (err.details?.problems ?? []) as ConfigProblem[];
    throw err;
  }
  throw new Error('expected BAD_CONFIG');
}

function writeJson(name: string, value: unknown): string {
  const file = join(tmp, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('loadConfig defaults', () => {
  it('gives the documented defaults and an embedded target under the data dir', () => {
    const config = loadConfig({ env: {}, cwd: '/srv/app', secrets: 'memory' });
    expect(config.dataDir).toBe('/srv/app/.data');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, bodyLimit: 16 * 1024 * 1024 });
    expect(config.publicUrl).toBe('http://127.0.0.1:8080');
    expect(config.export.linkLifetimeMs).toBe(24 * 3600 * 1000);
    expect(config.export.perUserRunningLimit).toBe(3);
    expect(config.export.storage).toBe('local');
    expect(config.export.localDir).toBe('/srv/app/.data/exports');
    expect(config.databaseUrl).toBeUndefined();
    expect(databaseTargetFromConfig(config)).toEqual({ kind: 'sqlite', file: '/srv/app/.data/logsift.db' });
  });

  it('switches to PostgreSQL when LOGSIFT_DATABASE_URL is set', () => {
    const config = loadConfig({
      env: { LOGSIFT_DATABASE_URL: 'postgres://u@db:5432/logs', LOGSIFT_EXPORT_DOWNLOAD_SECRET: SECRET, LOGSIFT_DATABASE_POOL_SIZE: '4' },
      secrets: 'memory',
    });
    expect(databaseTargetFromConfig(config)).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/logs', poolSize: 4 });
    expect(config.export.downloadSecret).toBe(SECRET);
  });

  it('parses durations, sizes and booleans written as text', () => {
    const config = loadConfig({
      env: {
        LOGSIFT_EXPORT_LINK_LIFETIME_MS: '2h', LOGSIFT_JOBS_LEASE_MS: '90s', LOGSIFT_JOBS_HEARTBEAT_MS: '1500',
        LOGSIFT_HTTP_BODY_LIMIT: '2mb', LOGSIFT_WORKER_IN_PROCESS: 'false', LOGSIFT_HTTP_HOST: '0.0.0.0',
      },
      secrets: 'memory',
    });
    expect(config.export.linkLifetimeMs).toBe(7_200_000);
    expect(config.jobs.leaseMs).toBe(90_000);
    expect(config.jobs.heartbeatMs).toBe(1500);
    expect(config.http.bodyLimit).toBe(2 * 1024 * 1024);
    expect(config.worker.inProcess).toBe(false);
    expect(config.publicUrl).toBe('http://localhost:8080');
  });
});

describe('loadConfig precedence', () => {
  const file = writeJson('precedence.json', { http: { port: 7000, host: '10.0.0.1' }, logLevel: 'debug', export: { s3: { region: 'eu-west-1' } } });

  it('file overrides defaults, env overrides file, overrides override env', () => {
    const config = loadConfig({
      env: { LOGSIFT_HTTP_PORT: '7001', LOGSIFT_LOG_LEVEL: 'warn' },
      file,
      overrides: { logLevel: 'error' },
      secrets: 'memory',
    });
    expect(config.http.host).toBe('10.0.0.1');
    expect(config.export.s3.region).toBe('eu-west-1');
    expect(config.http.port).toBe(7001);
    expect(config.logLevel).toBe('error');
  });

  it('reads the file named by LOGSIFT_CONFIG and treats empty env values as unset', () => {
    const config = loadConfig({ env: { LOGSIFT_CONFIG: file, LOGSIFT_HTTP_PORT: '' }, secrets: 'memory' });
    expect(config.http.port).toBe(7000);
  });

  it('parses string overrides (CLI flags) like env values', () => {
    const config = loadConfig({ env: { LOGSIFT_HTTP_PORT: '7001' }, overrides: { http: { port: '9090' } }, secrets: 'memory' });
    expect(config.http.port).toBe(9090);
  });

  it('resolves a relative data dir against cwd and a set public URL without trailing slash', () => {
    const config = loadConfig({ env: { LOGSIFT_DATA_DIR: 'state', LOGSIFT_PUBLIC_URL: 'https://logs.example.com/' }, cwd: '/opt', secrets: 'memory' });
    expect(config.dataDir).toBe('/opt/state');
    expect(config.publicUrl).toBe('https://logs.example.com');
  });
});

describe('loadConfig validation', () => {
  it('reports every bad key at once, each with its env name and reason', () => {
    const problems = problemsOf({
      env: {
        LOGSIFT_HTTP_PORT: 'abc', LOGSIFT_LOG_LEVEL: 'loud', LOGSIFT_JOBS_LEASE_MS: 'soon',
        LOGSIFT_WORKER_CONCURRENCY: '0', LOGSIFT_EXPORT_STORAGE: 'ftp', LOGSIFT_CLUSTERING_ENABLED: 'maybe',
        LOGSIFT_DATABASE_URL: 'mysql://secret-host/db',
      },
      secrets: 'memory',
    });
    const byLabel = Object.fromEntries(problems.map((p) => [p.label, p.reason]));
    expect(Object.keys(byLabel).sort()).toEqual([
      'LOGSIFT_CLUSTERING_ENABLED', 'LOGSIFT_DATABASE_URL', 'LOGSIFT_EXPORT_STORAGE', 'LOGSIFT_HTTP_PORT',
      'LOGSIFT_JOBS_LEASE_MS', 'LOGSIFT_LOG_LEVEL', 'LOGSIFT_WORKER_CONCURRENCY',
    ]);
    expect(byLabel.LOGSIFT_HTTP_PORT).toBe("must be an integer 1–65535, got 'abc'");
    expect(byLabel.LOGSIFT_WORKER_CONCURRENCY).toBe("must be an integer 1–256, got '0'");
    expect(byLabel.LOGSIFT_EXPORT_STORAGE).toBe("must be one of local, s3, got 'ftp'");
    expect(byLabel.LOGSIFT_CLUSTERING_ENABLED).toBe("must be true or false, got 'maybe'");
    expect(byLabel.LOGSIFT_JOBS_LEASE_MS).toMatch(/^must be a duration 1s–1d .*got 'soon'$/);
    // Secrets are never echoed back.
    expect(byLabel.LOGSIFT_DATABASE_URL).toBe('must be a postgres:// or postgresql:// URL, got a hidden value');
  });

  it('puts every problem in the message, one per line', () => {
    expect(() => loadConfig({ env: { LOGSIFT_HTTP_PORT: '70000', LOGSIFT_LOG_LEVEL: 'x' }, secrets: 'memory' })).toThrow(
      /Invalid configuration:\n {2}LOGSIFT_HTTP_PORT: must be an integer 1–65535, got '70000'\n {2}LOGSIFT_LOG_LEVEL: /,
    );
  });

  it('reports unknown and mistyped keys of the config file with the file name', () => {
    const file = writeJson('bad.json', { http: { prot: 80, port: 'eighty' }, worker: 3, colour: 'blue' });
    const problems = problemsOf({ env: {}, file, secrets: 'memory' });
    expect(problems.map((p) => [p.label, p.reason]).sort()).toEqual([
      [`${file}: colour`, 'is not a known setting'],
      [`${file}: http.port`, "must be an integer 1–65535, got 'eighty'"],
      [`${file}: http.prot`, 'is not a known setting'],
      [`${file}: worker`, 'must be an object'],
    ]);
  });

  it('rejects an unreadable or non-JSON config file', () => {
    expect(problemsOf({ env: {}, file: join(tmp, 'missing.json'), secrets: 'memory' })[0]?.reason).toMatch(/cannot be read \(ENOENT\)/);
    const broken = writeJson('broken.json', '{ "http": ');
    expect(problemsOf({ env: {}, file: broken, secrets: 'memory' })[0]?.reason).toMatch(/is not valid JSON/);
    const list = writeJson('list.json', [1, 2]);
    expect(problemsOf({ env: {}, file: list, secrets: 'memory' })[0]?.reason).toBe('must contain a JSON object');
  });

  it('checks rules spanning keys alongside single-key problems', () => {
    const problems = problemsOf({
      env: {
        LOGSIFT_EXPORT_STORAGE: 's3', LOGSIFT_DATABASE_URL: 'postgresql://db/x', LOGSIFT_JOBS_LEASE_MS: '10s',
        LOGSIFT_JOBS_HEARTBEAT_MS: '10s', LOGSIFT_EXPORT_S3_ACCESS_KEY_ID: 'AKIA', LOGSIFT_HTTP_PORT: '-1',
      },
      secrets: 'memory',
    });
    expect(problems.map((p) => p.label).sort()).toEqual([
      'LOGSIFT_EXPORT_DOWNLOAD_SECRET', 'LOGSIFT_EXPORT_S3_BUCKET', 'LOGSIFT_EXPORT_S3_SECRET_ACCESS_KEY',
      'LOGSIFT_HTTP_PORT', 'LOGSIFT_JOBS_HEARTBEAT_MS',
    ]);
    expect(problems.find((p) => p.key === 'jobs.heartbeatMs')?.reason).toBe('must be shorter than jobs.leaseMs (10s), got 10s');
  });

  it('labels a bad override as an override', () => {
    const problems = problemsOf({ env: {}, overrides: { http: { port: 'x' } }, secrets: 'memory' });
    expect(problems).toEqual([{ key: 'http.port', source: 'override', label: 'http.port (override)', reason: "must be an integer 1–65535, got 'x'" }]);
  });
});

describe('download secret', () => {
  it('is generated once in the data dir and reused on the next start', () => {
    const dataDir = join(tmp, 'secret-data');
    const first = loadConfig({ env: { LOGSIFT_DATA_DIR: dataDir } });
    const second = loadConfig({ env: { LOGSIFT_DATA_DIR: dataDir } });
    expect(first.export.downloadSecret.length).toBeGreaterThanOrEqual(40);
    expect(second.export.downloadSecret).toBe(first.export.downloadSecret);
    const file = join(dataDir, 'secrets.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ downloadSecret: first.export.downloadSecret });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is not written when memory mode is asked for, and a configured one wins', () => {
    const dataDir = join(tmp, 'memory-data');
    const a = loadConfig({ env: { LOGSIFT_DATA_DIR: dataDir }, secrets: 'memory' });
    const b = loadConfig({ env: { LOGSIFT_DATA_DIR: dataDir }, secrets: 'memory' });
    expect(a.export.downloadSecret).not.toBe(b.export.downloadSecret);
    expect(() => statSync(join(dataDir, 'secrets.json'))).toThrow();
    expect(loadConfig({ env: { LOGSIFT_EXPORT_DOWNLOAD_SECRET: SECRET }, secrets: 'memory' }).export.downloadSecret).toBe(SECRET);
  });

  it('must be long enough when configured', () => {
    expect(problemsOf({ env: { LOGSIFT_EXPORT_DOWNLOAD_SECRET: 'short' }, secrets: 'memory' })[0]?.reason).toBe(
      'must be at least 32 characters, got a hidden value',
    );
  });
});

describe('config docs and redaction', () => {
  it('documents every env var in the generated table', () => {
    const table = renderConfigTable();
    for (const name of ['LOGSIFT_DATA_DIR', 'LOGSIFT_DATABASE_URL', 'LOGSIFT_HTTP_PORT', 'LOGSIFT_EXPORT_S3_BUCKET', 'LOGSIFT_EXPORT_LINK_LIFETIME_MS']) {
      expect(table).toContain(`| \`${name}\` |`);
    }
    expect(table).toContain('| `LOGSIFT_HTTP_PORT` | `http.port` | integer 1–65535 | `8080` |');
  });

  it('hides secrets when printing the config', () => {
    const config = loadConfig({
      env: { LOGSIFT_DATABASE_URL: 'postgres://u:pw@db/x', LOGSIFT_EXPORT_DOWNLOAD_SECRET: SECRET },
      secrets: 'memory',
    });
    const printed = JSON.stringify(redactConfig(config));
    expect(printed).not.toContain('pw@db');
    expect(printed).not.toContain(SECRET);
    expect(config.databaseUrl).toBe('postgres://u:pw@db/x');
  });
});

describe('unknownEnvVars', () => {
  it('lists LOGSIFT_ variables that match no setting, ignoring other variables', () => {
    expect(unknownEnvVars({ LOGSIFT_HTTP_PROT: '1', LOGSIFT_HTTP_PORT: '1', LOGSIFT_CONFIG: 'x', LOGSIFT_DEBUG: '1', PATH: '/bin', LOGSIFT_DATADIR: 'x' }))
      .toEqual(['LOGSIFT_DATADIR', 'LOGSIFT_HTTP_PROT']);
  });
});

describe('storageConfigFromConfig', () => {
  it('uses the local exports folder by default', () => {
    const config = loadConfig({ env: {}, cwd: '/srv', secrets: 'memory' });
    expect(storageConfigFromConfig(config)).toEqual({ type: 'local', options: { root: '/srv/.data/exports' } });
  });

  it('passes S3 settings through', () => {
    const config = loadConfig({
      env: {
        LOGSIFT_EXPORT_STORAGE: 's3', LOGSIFT_EXPORT_S3_BUCKET: 'exports', LOGSIFT_EXPORT_S3_ENDPOINT: 'http://127.0.0.1:9000',
        LOGSIFT_EXPORT_S3_ACCESS_KEY_ID: 'AK', LOGSIFT_EXPORT_S3_SECRET_ACCESS_KEY: 'SK', LOGSIFT_EXPORT_S3_FORCE_PATH_STYLE: 'no',
      },
      secrets: 'memory',
    });
    expect(storageConfigFromConfig(config)).toEqual({
      type: 's3',
      options: { region: 'us-east-1', bucket: 'exports', endpoint: 'http://127.0.0.1:9000', accessKeyId: 'AK', secretAccessKey: 'SK', forcePathStyle: false },
    });
  });
});
