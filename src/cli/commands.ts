import type { Command } from 'commander';
import { registerAccountCommands } from './commands/accounts.ts';
import { registerIndexSetCommands } from './commands/index-set.ts';
import { registerIngestCommand } from './commands/ingest.ts';
import { registerJobCommands } from './commands/jobs.ts';
import { registerPatternsCommands } from './commands/patterns.ts';
import { registerSearchCommand } from './commands/search.ts';
import { registerServeCommands } from './commands/serve.ts';

/**
 * The registry of CLI command groups. Each entry adds its commands to the program; command
 * files stay thin and call services built by src/main.
 */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [
  registerServeCommands,
  registerIndexSetCommands,
  registerIngestCommand,
  registerSearchCommand,
  registerAccountCommands,
  registerJobCommands,
  registerPatternsCommands,
];
