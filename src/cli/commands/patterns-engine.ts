import { readFile } from 'node:fs/promises';
import { AppError } from '../../shared/app-error.ts';
import { fromSnapshot, isEngineError, TemplateMiner } from '../../engine/index.ts';

/** Maps engine errors (their own stable codes) onto AppError; other errors pass through. */
export function toAppError(err: unknown): unknown {
  if (isEngineError(err)) return new AppError(err.code, err.message, { cause: err, details: err.details });
  return err;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new AppError('BAD_CONFIG', `cannot read the ${what} ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads a JSON clustering configuration file (bk-log parameter names; `preset` selects `default` or `bklog`). */
export async function loadPatternConfig(file: string | undefined): Promise<unknown> {
  if (file === undefined) return {};
  const text = await readText(file, 'configuration');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AppError('BAD_PATTERN_CONFIG', `the configuration ${file} is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** Builds the miner for a command: from a saved model, or from a configuration (default if none). */
export async function createMiner(opts: { config?: string; model?: string }): Promise<TemplateMiner> {
  if (opts.model !== undefined && opts.config !== undefined) {
    throw new AppError('VALIDATION_FAILED', '--model and --config cannot be combined: a model carries its own configuration');
  }
  try {
    if (opts.model !== undefined) return fromSnapshot(await readText(opts.model, 'model'));
    const miner = new TemplateMiner(await loadPatternConfig(opts.config));
    if (miner.config.use_offline_model) {
      throw new AppError('VALIDATION_FAILED', 'use_offline_model is set: pass the saved model with --model (it carries its own configuration)');
    }
    return miner;
  } catch (err) {
    throw toAppError(err);
  }
}
