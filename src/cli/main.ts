import { Command } from 'commander';
import { VERSION } from '../main/version.ts';
import { runCli } from './run-cli.ts';

const program = new Command('logsift')
  .description('logsift: export log searches and mine log patterns')
  .version(VERSION);

await runCli(program, process.argv);
