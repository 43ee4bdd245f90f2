import type { Command } from 'commander';
import { JOB_STATES, QUEUE_NAMES, type JobState, type QueueName } from '../../jobs/job-queue.ts';
import { AppError } from '../../shared/app-error.ts';
import { positiveInt, printJson, withContext } from '../cli-context.ts';

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new AppError('VALIDATION_FAILED', `${flag} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** The jobs page on the command line. */
export function registerJobCommands(program: Command): void {
  const jobs = program.command('jobs').description('list and inspect background jobs');
  jobs
    .command('list')
    .option('--queue <queue>', QUEUE_NAMES.join(' | '))
    .option('--state <state>', JOB_STATES.join(' | '))
    .option('--limit <n>', 'rows', '50')
    .action(async (o: { queue?: string; state?: string; limit: string }, cmd: Command) => {
      const queue = oneOf<QueueName>('--queue', o.queue, QUEUE_NAMES);
      const state = oneOf<JobState>('--state', o.state, JOB_STATES);
      await withContext(cmd, async (ctx) => {
        const rows = await ctx.jobs.listJobs({ limit: positiveInt('--limit', o.limit), ...(queue === undefined ? {} : { queue }), ...(state === undefined ? {} : { state }) });
        for (const j of rows) {
          process.stdout.write(`${j.id}\t${j.queue}\t${j.name}\t${j.state}\tattempt ${j.attempt}/${j.retryLimit + 1}${j.lastError === null ? '' : `\t${j.lastError}`}\n`);
        }
      });
    });
  jobs.command('show <id>').action(async (id: string, _o, cmd: Command) => {
    await withContext(cmd, async (ctx) => {
      const job = await ctx.jobs.getJob(id);
      if (job === undefined) throw new AppError('JOB_NOT_FOUND', `Job ${id} does not exist`);
      printJson(job);
    });
  });
}
