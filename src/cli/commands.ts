import type { Command } from 'commander';
import { registerAccountCommands } from './commands/accounts.ts';
import { registerExportCommands } from './commands/export.ts';
import { registerIndexSetCommands } from './commands/index-set.ts';
import { registerIngestCommand } from './commands/ingest.ts';
import { registerJobCommands } from './commands/jobs.ts';
import { registerPatternsCommands } from './commands/patterns.ts';
import { registerSearchCommand } from './commands/search.ts';
import { registerServeCommands } from './commands/serve.ts';

/**
 * The registry of CLI command groups. Each entry adds its commands to the program; command
 * files stay thin and call services built by src/main. Groups that open the store get
 * `--data-dir`, `--database-url` and `--config` on each of their commands (see addStoreOptions).
 */
export interface CommandGroup {
  register: (program: Command) => void;
  opensStore: boolean;
}

export const COMMANDS: CommandGroup[] = [
  { register: registerServeCommands, opensStore: true },
  { register: registerIndexSetCommands, opensStore: true },
  { register: registerIngestCommand, opensStore: true },
  { register: registerSearchCommand, opensStore: true },
  { register: registerAccountCommands, opensStore: true },
  { register: registerJobCommands, opensStore: true },
  { register: registerExportCommands, opensStore: true },
  { register: registerPatternsCommands, opensStore: false },
];
