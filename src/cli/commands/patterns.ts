import type { Command } from 'commander';

/**
 * `logsift patterns …`: label, train and debug with the pattern engine. The engine and the command
 * bodies are imported lazily so that `label` starts fast and other commands pay nothing.
 */
export function registerPatternsCommands(program: Command): void {
  const patterns = program.command('patterns').description('mine log templates (online Drain-style clustering)');

  patterns
    .command('label')
    .description('read one message per line on stdin, write its cluster template per line on stdout')
    .option('--config <file>', 'clustering configuration (JSON; bk-log parameter names)')
    .option('--model <file>', 'start from a model saved by `patterns train`')
    .option('--placeholder <text>', 'placeholder for every variable, e.g. <*> (default: #NAME#)')
    .option('--online', 'print each template as it was when the message arrived (default: final templates)')
    .action(async (opts: { config?: string; model?: string; placeholder?: string; online?: boolean }) => {
      const { runPatternsLabel } = await import('./patterns-label.ts');
      await runPatternsLabel(opts);
    });

  patterns
    .command('train')
    .description('learn templates from log files (one message per line) and save the model')
    .argument('<files...>', 'input files')
    .requiredOption('--model <out>', 'where to write the model (JSON)')
    .option('--config <file>', 'clustering configuration (JSON)')
    .action(async (files: string[], opts: { model: string; config?: string }) => {
      const { runPatternsTrain } = await import('./patterns-train.ts');
      await runPatternsTrain(files, opts);
    });

  patterns
    .command('debug')
    .description('show how the configuration tokenises one message and which variables it finds')
    .argument('<message>', 'the log message')
    .option('--config <file>', 'clustering configuration (JSON)')
    .option('--json', 'print the pattern and the variables as JSON')
    .action(async (message: string, opts: { config?: string; json?: boolean }) => {
      const { runPatternsDebug } = await import('./patterns-train.ts');
      await runPatternsDebug(message, opts);
    });
}
