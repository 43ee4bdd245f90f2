import type { Command } from 'commander';

/**
 * The registry of CLI command groups. Each entry adds its commands to the program; command
 * files stay thin and call services built by src/main.
 */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [];
