import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../shared/app-error.ts';
import { CONFIG_GROUPS, CONFIG_KEYS, type ConfigKey } from './config-keys.ts';
import type { Config, ConfigOverrides } from './config-schema.ts';
import { crossCheckConfig } from './cross-check-config.ts';
import { loadOrCreateSecret } from './load-or-create-secret.ts';
import { parseConfigValue } from './parse-config-value.ts';

export interface LoadConfigOptions {
  /** Environment to read `LOGSIFT_*` variables from (pass `process.env`). Empty values count as unset. */
  env: Record<string, string | undefined>;
  /** JSON config file; when absent, `env.LOGSIFT_CONFIG` is used if set. */
  file?: string;
  /** Highest-priority values, typically CLI flags. Strings are parsed like env values. */
  overrides?: ConfigOverrides;
  /** Base for relative paths (default `process.cwd()`). */
  cwd?: string;
  /**
   * Embedded mode without a configured download secret: `persist` (default) generates one once and
   * keeps it in `<dataDir>/secrets.json` (and creates the data dir); `memory` generates a throwaway
   * one and writes nothing.
   */
  secrets?: 'persist' | 'memory';
}

/** Where a leaf's value came from, lowest priority first. */
export const CONFIG_SOURCES = ['default', 'file', 'env', 'override'] as const;
export type ConfigSource = (typeof CONFIG_SOURCES)[number];

/** One bad key, as listed in BAD_CONFIG details. */
export interface ConfigProblem {
  key: string;
  source: ConfigSource;
  /** What the user wrote it as: the env var, `file: key`, or `key (override)`. */
  label: string;
  reason: string;
}

interface Candidate {
  source: ConfigSource;
  raw: unknown;
}

/**
 * Builds the configuration from defaults < config file < `LOGSIFT_*` env vars < overrides, and
 * validates all of it at once: a BAD_CONFIG AppError lists every bad key with its reason
 * (`details.problems`), so a user fixes everything in one round.
 */
export function loadConfig(options: LoadConfigOptions): Config {
  const cwd = options.cwd ?? process.cwd();
  const problems: ConfigProblem[] = [];
  const fileName = options.file ?? nonEmpty(options.env.LOGSIFT_CONFIG);
  const layers: Array<[ConfigSource, Map<string, unknown>]> = [];
  if (fileName !== undefined) layers.push(['file', flattenLayer(readConfigFile(resolve(cwd, fileName)), 'file', fileName, problems)]);
  layers.push(['env', envLayer(options.env)]);
  if (options.overrides !== undefined) layers.push(['override', flattenLayer(options.overrides, 'override', fileName, problems)]);

  const config: Record<string, unknown> = {};
  for (const group of CONFIG_GROUPS) setPath(config, [...group.split('.'), ''], undefined);
  const sources = new Map<string, ConfigSource>();
  for (const key of CONFIG_KEYS) {
    const candidate = pick(key, layers);
    if (candidate === undefined) continue;
    const parsed = parseConfigValue(candidate.raw, key);
    if (!parsed.ok) {
      problems.push({ key: key.path, source: candidate.source, label: labelOf(key, candidate.source, fileName), reason: parsed.reason });
      continue;
    }
    sources.set(key.path, candidate.source);
    setPath(config, key.segments, parsed.value);
  }
  // Rules read only keys that parsed; a key that already has a problem is not reported twice.
  for (const p of crossCheckConfig(config as unknown as Config)) {
    if (problems.some((q) => q.key === p.key)) continue;
    const key = CONFIG_KEYS.find((k) => k.path === p.key);
    const source = sources.get(p.key) ?? 'default';
    problems.push({ key: p.key, source, label: key === undefined ? p.key : labelOf(key, source, fileName), reason: p.reason });
  }
  if (problems.length > 0) throw badConfig(problems);
  return resolveDerived(config as unknown as Config, cwd, options.secrets ?? 'persist');
}

function resolveDerived(config: Config, cwd: string, secrets: 'persist' | 'memory'): Config {
  config.dataDir = resolve(cwd, config.dataDir);
  // The SQLite driver creates the file but not its folder.
  if (secrets === 'persist' && config.databaseUrl === undefined) mkdirSync(config.dataDir, { recursive: true });
  config.export.localDir = resolve(cwd, config.export.localDir ?? join(config.dataDir, 'exports'));
  config.publicUrl = (config.publicUrl ?? defaultPublicUrl(config.http.host, config.http.port)).replace(/\/+$/, '');
  // Cross-check guarantees a configured secret with PostgreSQL; only embedded mode generates one.
  config.export.downloadSecret ??= loadOrCreateSecret(config.dataDir, 'downloadSecret', secrets === 'persist');
  return config;
}

function defaultPublicUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

function pick(key: ConfigKey, layers: Array<[ConfigSource, Map<string, unknown>]>): Candidate | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const [source, values] = layers[i] as [ConfigSource, Map<string, unknown>];
    if (values.has(key.path)) return { source, raw: values.get(key.path) };
  }
  return key.default === undefined ? undefined : { source: 'default', raw: key.default };
}

function envLayer(env: Record<string, string | undefined>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const key of CONFIG_KEYS) {
    const value = nonEmpty(env[key.env]);
    if (value !== undefined) out.set(key.path, value);
  }
  return out;
}

/** Flattens a nested file/override object to dotted paths, reporting keys the schema lacks. */
function flattenLayer(obj: unknown, source: ConfigSource, fileName: string | undefined, problems: ConfigProblem[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const leafPaths = new Set(CONFIG_KEYS.map((k) => k.path));
  const walk = (value: unknown, prefix: string[]): void => {
    for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
      const path = [...prefix, name].join('.');
      if (child === undefined) continue;
      if (leafPaths.has(path)) out.set(path, child);
      else if (CONFIG_GROUPS.has(path) && isPlainObject(child)) walk(child, [...prefix, name]);
      else {
        const reason = CONFIG_GROUPS.has(path) ? 'must be an object' : 'is not a known setting';
        const label = source === 'file' ? `${fileName ?? 'config file'}: ${path}` : `${path} (override)`;
        problems.push({ key: path, source, label, reason });
      }
    }
  };
  if (isPlainObject(obj)) walk(obj, []);
  else problems.push({ key: '', source, label: fileName ?? 'config file', reason: 'must contain a JSON object' });
  return out;
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw badConfig([{ key: '', source: 'file', label: path, reason: `cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})` }], cause);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw badConfig([{ key: '', source: 'file', label: path, reason: `is not valid JSON (${(cause as Error).message})` }], cause);
  }
}

function labelOf(key: ConfigKey, source: ConfigSource, fileName: string | undefined): string {
  const labels: Record<ConfigSource, () => string> = {
    default: () => key.env,
    env: () => key.env,
    file: () => `${fileName ?? 'config file'}: ${key.path}`,
    override: () => `${key.path} (override)`,
  };
  return labels[source]();
}

function badConfig(problems: ConfigProblem[], cause?: unknown): AppError {
  const lines = problems.map((p) => `  ${p.label}: ${p.reason}`);
  return new AppError('BAD_CONFIG', `Invalid configuration:\n${lines.join('\n')}`, { cause, details: { problems } });
}

function setPath(target: Record<string, unknown>, segments: string[], value: unknown): void {
  let node = target;
  for (const seg of segments.slice(0, -1)) {
    node[seg] ??= {};
    node = node[seg] as Record<string, unknown>;
  }
  const last = segments[segments.length - 1] as string;
  if (last !== '') node[last] = value;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
