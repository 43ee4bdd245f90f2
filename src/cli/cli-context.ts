import type { Command } from 'commander';
import type { Config, ConfigOverrides } from '../config/config-schema.ts';
import type { AppContext } from '../main/app-context.ts';
import { AppError } from '../shared/app-error.ts';

/**
 * Store flags for every command that opens the store. They sit on the leaf commands, not on the
 * program, so `logsift patterns label --config FILE` keeps its own, unrelated `--config`.
 */
export function addStoreOptions(cmd: Command): void {
  if (cmd.commands.length > 0) {
    for (const sub of cmd.commands) addStoreOptions(sub);
    return;
  }
  cmd
    .option('--data-dir <dir>', 'embedded store folder (default ./.data; env LOGSIFT_DATA_DIR)')
    .option('--database-url <url>', 'use PostgreSQL instead of the embedded store (env LOGSIFT_DATABASE_URL)')
    .option('--config <file>', 'JSON config file (env LOGSIFT_CONFIG)');
}

interface GlobalFlags {
  dataDir?: string;
  databaseUrl?: string;
  config?: string;
}

/** Loads and validates the configuration from env, file and flags (BAD_CONFIG lists every problem). */
export async function loadCliConfig(cmd: Command, overrides: ConfigOverrides = {}): Promise<Config> {
  const { loadConfig } = await import('../config/load-config.ts');
  const flags = cmd.optsWithGlobals<GlobalFlags>();
  const merged: ConfigOverrides = { ...overrides };
  if (flags.dataDir !== undefined) merged.dataDir = flags.dataDir;
  if (flags.databaseUrl !== undefined) merged.databaseUrl = flags.databaseUrl;
  return loadConfig({ env: process.env, overrides: merged, ...(flags.config === undefined ? {} : { file: flags.config }) });
}

/**
 * Runs `fn` with a fully wired context (migrated store, services) and closes it afterwards, also
 * on error. Heavy modules load lazily so `logsift patterns …` starts fast.
 */
export async function withContext<T>(cmd: Command, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = await loadCliConfig(cmd);
  const { createAppContext } = await import('../main/app-context.ts');
  const pino = (await import('pino')).default;
  const ctx = await createAppContext(config, { logger: pino({ level: process.env.LOGSIFT_LOG_LEVEL ?? 'warn' }, pino.destination(2)) });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/** Prints a value as pretty JSON (machine-readable) on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Parses a positive integer flag/argument or throws VALIDATION_FAILED naming it. */
export function positiveInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new AppError('VALIDATION_FAILED', `${name} must be a positive integer, got "${raw}"`);
  return n;
}
