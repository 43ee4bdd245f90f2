import type { Command } from 'commander';
import { coerceError } from '../shared/app-error.ts';
import { addStoreOptions } from './cli-context.ts';
import { COMMANDS } from './commands.ts';

/**
 * Registers every command and runs. Errors become one clear line on stderr and a non-zero
 * exit code (2 for bad input, 1 otherwise); stack traces only with LOGSIFT_DEBUG=1.
 */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  for (const group of COMMANDS) {
    const before = program.commands.length;
    group.register(program);
    if (group.opensStore) for (const cmd of program.commands.slice(before)) addStoreOptions(cmd);
  }
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (isCommanderExit(err)) {
      process.exitCode = err.exitCode;
      return;
    }
    const appErr = coerceError(err);
    const shown = appErr.code === 'INTERNAL' && appErr.cause instanceof Error ? appErr.cause.message : appErr.message;
    process.stderr.write(`logsift: ${appErr.code}: ${shown}\n`);
    if (process.env.LOGSIFT_DEBUG === '1') process.stderr.write(`${String((appErr.cause as Error | undefined)?.stack ?? appErr.stack)}\n`);
    process.exitCode = appErr.httpStatus >= 400 && appErr.httpStatus < 500 ? 2 : 1;
  }
}

function isCommanderExit(err: unknown): err is { exitCode: number; code: string } {
  return typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string'
    && (err as { code: string }).code.startsWith('commander.');
}
