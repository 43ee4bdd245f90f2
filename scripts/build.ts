/**
 * Production build: `npm run build` bundles logsift's own code (npm packages stay imports) into
 * `dist/`, so a deployment runs plain JavaScript instead of compiling TypeScript at start-up
 * through tsx. Measured: the process starts at ~116 MB RSS instead of ~180 MB.
 *
 *   node dist/logsift.js serve | worker | …        (same commands as `npx logsift`)
 *
 * `--bench` also bundles the benchmarks (dist/bench-*.js), so they measure what is deployed.
 * Usage: node --import tsx scripts/build.ts [--bench] [--outdir DIR]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values } = parseArgs({ options: { bench: { type: 'boolean', default: false }, outdir: { type: 'string', default: 'dist' } } });
const root = resolve(import.meta.dirname, '..');

// Every entry lands in one folder: the store starts its read workers from `./read-worker.js`
// next to the module that spawns them, which in a bundle is an entry file or a chunk.
const entryPoints: Array<{ in: string; out: string }> = [
  { in: 'src/cli/main.ts', out: 'logsift' },
  { in: 'src/store/sqlite/read-worker.js', out: 'read-worker' },
];
const BENCHES = ['store-bench', 'export-bench', 'export-formats-bench', 'patterns-accuracy', 'patterns-speed'];
if (values.bench) for (const name of BENCHES) entryPoints.push({ in: `bench/${name}.ts`, out: `bench-${name.replace(/-bench$/, '')}` });

await build({
  absWorkingDir: root,
  entryPoints,
  outdir: values.outdir,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  // Dynamic imports become chunks loaded on first use (the S3 and SMTP backends, pg-boss).
  splitting: true,
  chunkNames: 'chunk-[hash]',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
console.log(`built ${entryPoints.length} entries into ${resolve(root, values.outdir)}`);
