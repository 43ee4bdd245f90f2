import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { placeholderStyle, TemplateMiner, toSnapshot } from '../src/engine/index.ts';
import { defaultLoghubRoot, loadLoghub } from './patterns-loghub.ts';

/**
 * `npm run bench:patterns:speed -- --lines 1000000 [--api train|learn|online] [--config FILE]`
 *
 * Corpus: the Content lines of every shared Loghub-2k system; copy 1 as is, every later copy with each
 * run of 3+ digits replaced by random digits of the same length (so values churn like a real stream).
 * Lines are generated in chunks outside the timed region; only the engine calls are timed, as CPU time
 * of this process (user + system, so other processes on a busy machine do not distort it; GC included).
 * Prints lines/s overall and for the first and last 10 % of the run, clusters at the end, the state size
 * (snapshot JSON bytes) and peak RSS.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const total = Number(opt('--lines') ?? 1_000_000);
const api = opt('--api') ?? 'train';
const configFile = opt('--config');
const config: unknown = configFile === undefined ? {} : JSON.parse((await import('node:fs')).readFileSync(configFile, 'utf8'));
const base = loadLoghub(opt('--data') ?? defaultLoghubRoot(repoRoot)).flatMap((s) => s.contents);

let seed = 0x9e3779b9;
function nextDigit(): string {
  // xorshift32: deterministic, cheap, good enough for digit churn
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return String.fromCharCode(48 + ((seed >>> 0) % 10));
}
const perturb = (line: string): string => line.replace(/\d{3,}/g, (run) => {
  let out = '';
  for (let i = 0; i < run.length; i++) out += nextDigit();
  return out;
});

const miner = new TemplateMiner(config);
const style = placeholderStyle('<*>');
const run: Record<string, (line: string) => void> = {
  train: (line) => miner.train(line),
  learn: (line) => miner.learn(line),
  online: (line) => miner.labelOnline(line, style),
};
const step = run[api];
if (step === undefined) throw new Error(`--api must be one of ${Object.keys(run).join(', ')}`);

const chunkSize = 100_000;
const tenth = Math.max(1, Math.floor(total / 10));
let done = 0;
let copy = 0;
let cursor = 0;
let elapsed = 0;
let firstTenthMs = 0;
let lastTenthMs = 0;
const chunk: string[] = [];
while (done < total) {
  chunk.length = 0;
  while (chunk.length < Math.min(chunkSize, total - done)) {
    const line = base[cursor] as string;
    chunk.push(copy === 0 ? line : perturb(line));
    if (++cursor === base.length) {
      cursor = 0;
      copy++;
    }
  }
  for (let i = 0; i < chunk.length; ) {
    // time in slices that never straddle the first/last-tenth boundaries
    const boundary = done < tenth ? tenth : done < total - tenth ? total - tenth : total;
    const end = Math.min(chunk.length, i + (boundary - done));
    const t0 = process.cpuUsage();
    for (let j = i; j < end; j++) step(chunk[j] as string);
    const used = process.cpuUsage(t0);
    const ms = (used.user + used.system) / 1000;
    elapsed += ms;
    if (done < tenth) firstTenthMs += ms;
    else if (done >= total - tenth) lastTenthMs += ms;
    done += end - i;
    i = end;
  }
}
const stateBytes = Buffer.byteLength(JSON.stringify(toSnapshot(miner)));
// calibration: a bare character loop over the base lines, so runs on a busy machine can be compared
const c0 = process.cpuUsage();
let sink = 0;
for (let r = 0; r < 20; r++) for (const line of base) for (let i = 0; i < line.length; i++) sink += line.charCodeAt(i);
const cu = process.cpuUsage(c0);
const calibration = (base.length * 20) / ((cu.user + cu.system) / 1e6) / 1e6;
const rate = (lines: number, ms: number): string => Math.round((lines / ms) * 1000).toLocaleString('en-US');
console.log(`lines:              ${total.toLocaleString('en-US')} (${base.length} base lines, ${copy + (cursor > 0 ? 1 : 0)} copies), api=${api}`);
console.log(`lines/s:            ${rate(total, elapsed)} (engine CPU time ${(elapsed / 1000).toFixed(2)} s, 1 thread)`);
console.log(`first 10% lines/s:  ${rate(tenth, firstTenthMs)}`);
console.log(`last 10% lines/s:   ${rate(tenth, lastTenthMs)}`);
console.log(`clusters at end:    ${JSON.stringify(miner.clusterCounts())}`);
console.log(`state size:         ${stateBytes.toLocaleString('en-US')} bytes (${(stateBytes / 1024).toFixed(0)} KiB snapshot JSON)`);
console.log(`peak RSS:           ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
console.log(`calibration:        bare char loop ${calibration.toFixed(1)}M lines/s on this machine now${sink === 1 ? '' : ''}`);
