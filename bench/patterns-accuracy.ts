import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { placeholderStyle, TemplateMiner } from '../src/engine/index.ts';
import { defaultLoghubRoot, loadLoghub, loghubMetrics, type ParseMetrics } from './patterns-loghub.ts';

/**
 * `npm run bench:patterns:accuracy [-- --data DIR] [--config FILE.json] [--online] [--only A,B] [--dump]`: GA, FGA, PA, FTA per system
 * against the Loghub-2.0 corrected ground truth, with ONE configuration (the default unless --config),
 * offline labelling exactly as `logsift patterns label --placeholder '<*>'` does it (`--online`: each
 * message's template at arrival, as `label --online`). `--dump` prints every mislabelled line.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const root = opt('--data') ?? defaultLoghubRoot(repoRoot);
const configFile = opt('--config');
const config: unknown = configFile === undefined ? {} : JSON.parse((await import('node:fs')).readFileSync(configFile, 'utf8'));
const only = opt('--only')?.split(',');

const rows: [string, ParseMetrics, number][] = [];
for (const sys of loadLoghub(root)) {
  if (only !== undefined && !only.includes(sys.name)) continue;
  const t0 = performance.now();
  const miner = new TemplateMiner(config);
  const parsed = args.includes('--online')
    ? sys.contents.map((line) => miner.labelOnline(line, placeholderStyle('<*>')))
    : miner.labelBatch(sys.contents, placeholderStyle('<*>'));
  const ms = performance.now() - t0;
  rows.push([sys.name, loghubMetrics(sys.templates, parsed), ms]);
  if (args.includes('--dump')) {
    for (let i = 0; i < parsed.length; i++) if (parsed[i] !== sys.templates[i]) console.log(`${sys.name}\t${sys.templates[i]}\t${parsed[i]}`);
  }
}
const f = (x: number): string => x.toFixed(3);
console.log('| System | GA | FGA | PA | FTA | templates / GT | ms |');
console.log('|---|---|---|---|---|---|---|');
for (const [name, m, ms] of rows) {
  console.log(`| ${name} | ${f(m.GA)} | ${f(m.FGA)} | ${f(m.PA)} | ${f(m.FTA)} | ${m.templates} / ${m.gtTemplates} | ${ms.toFixed(0)} |`);
}
const avg = (k: 'GA' | 'FGA' | 'PA' | 'FTA'): number => rows.reduce((s, r) => s + r[1][k], 0) / rows.length;
console.log(`| **Average (${rows.length})** | **${f(avg('GA'))}** | **${f(avg('FGA'))}** | **${f(avg('PA'))}** | **${f(avg('FTA'))}** | | |`);
