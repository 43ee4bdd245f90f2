import { createInterface } from 'node:readline';
import { placeholderStyle } from '../../engine/index.ts';
import { createMiner, toAppError } from './patterns-engine.ts';

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // invalid UTF-8 becomes U+FFFD here, so the engine only ever sees well-formed text
  return Buffer.concat(chunks).toString('utf8');
}

/** Splits stdin into lines: LF or CRLF, no phantom line after a final newline. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
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
    const lines = splitLines(await readAllStdin());
    const labels = miner.labelBatch(lines, style);
    await new Promise<void>((resolve, reject) => {
      process.stdout.write(labels.length === 0 ? '' : labels.join('\n') + '\n', (err) => (err ? reject(err) : resolve()));
    });
  } catch (err) {
    throw toAppError(err);
  }
}
