import type { Command } from 'commander';
import { registerPatternsCommands } from './commands/patterns.ts';

/**
 * The registry of CLI command groups. Each entry adds its commands to the program; command
 * files stay thin and call services built by src/main.
 */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [registerPatternsCommands];
