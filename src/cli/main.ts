import { Command } from 'commander';
import { runCli } from './run-cli.ts';

const program = new Command('logsift')
  .description('logsift: export log searches and mine log patterns')
  .version('0.1.0');

await runCli(program, process.argv);
