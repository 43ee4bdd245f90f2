import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import { placeholderStyle } from '../../engine/index.ts';
import { createMiner, toAppError } from './patterns-engine.ts';

/**
 * Reads stdin as lines split on LF only (a CR before the LF is dropped; a lone CR stays in its line),
 * decoding UTF-8 chunk by chunk (invalid bytes become U+FFFD), with no phantom line after a final
 * newline. Never builds one string of the whole input.
 */
export async function readStdinLines(input: NodeJS.ReadableStream = process.stdin): Promise<string[]> {
  const decoder = new StringDecoder('utf8');
  const lines: string[] = [];
  let rest = '';
  const take = (text: string, final: boolean): void => {
    const parts = (rest + text).split('\n');
    rest = final ? '' : (parts.pop() as string);
    for (const line of parts) lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
  };
  for await (const chunk of input) take(decoder.write(chunk as Buffer), false);
  const tail = rest + decoder.end();
  rest = '';
  if (tail !== '') take(tail, true);
  return lines;
}

/** `patterns label`: exactly one output line per input line, in order. */
export async function runPatternsLabel(opts: { config?: string; model?: string; placeholder?: string; online?: boolean }): Promise<void> {
  const miner = await createMiner(opts);
  const style = placeholderStyle(opts.placeholder);
  try {
    if (opts.online === true) {
      const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
      let buffer = '';
      for await (const line of rl) {
        buffer += miner.labelOnline(line, style) + '\n';
        if (buffer.length > 1 << 16) {
          if (!process.stdout.write(buffer)) await new Promise((resolve) => process.stdout.once('drain', resolve));
          buffer = '';
        }
      }
      process.stdout.write(buffer);
      return;
    }
    const lines = await readStdinLines();
    const labels = miner.labelBatch(lines, style);
    await new Promise<void>((resolve, reject) => {
      process.stdout.write(labels.length === 0 ? '' : labels.join('\n') + '\n', (err) => (err ? reject(err) : resolve()));
    });
  } catch (err) {
    throw toAppError(err);
  }
}
