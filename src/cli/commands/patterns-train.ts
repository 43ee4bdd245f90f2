import { createReadStream } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { AppError } from '../../shared/app-error.ts';
import { toSnapshot } from '../../engine/index.ts';
import { createMiner, toAppError } from './patterns-engine.ts';

/** `patterns train FILE... --model OUT.json`: learns every line of every file, writes the model atomically. */
export async function runPatternsTrain(files: string[], opts: { model: string; config?: string }): Promise<void> {
  const miner = await createMiner({ config: opts.config });
  let lines = 0;
  for (const file of files) {
    try {
      const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
      for await (const line of rl) {
        miner.train(line);
        lines++;
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== undefined) {
        throw new AppError('BAD_INPUT_LINE', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
      }
      throw toAppError(err);
    }
  }
  const tmp = `${opts.model}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(toSnapshot(miner)));
  await rename(tmp, opts.model);
  const counts = Object.entries(miner.clusterCounts()).map(([level, n]) => `level ${level}: ${n} clusters`).join(', ');
  process.stderr.write(`trained on ${lines} lines; ${counts}; model written to ${opts.model}\n`);
}

/** `patterns debug "<message>"`: bk-log's debug view (tokens, `#NAME#` variables), no clustering. */
export async function runPatternsDebug(message: string, opts: { config?: string; json?: boolean }): Promise<void> {
  const miner = await createMiner({ config: opts.config });
  try {
    const result = miner.debug(message);
    process.stdout.write(opts.json === true ? `${JSON.stringify(result)}\n` : `${result.pattern}\n`);
  } catch (err) {
    throw toAppError(err);
  }
}
