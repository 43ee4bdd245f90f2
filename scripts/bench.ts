/**
 * `npm run bench -- NAME [args…]` (or `npm run bench:NAME -- [args…]`): builds the benchmarks with
 * the production bundle (scripts/build.ts --bench) and runs one in a child process with the
 * production Node flags, so speed and memory are those of a deployment, not of tsx compiling
 * TypeScript at start-up. NAME: store, export, export-formats, patterns-accuracy, patterns-speed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The heap cap deployments should run workers with (README, "Production"). Any explicit cap up to
 * 1 GiB makes V8 collect more eagerly than its default on a large machine: a 1M-row export peaks
 * at ~185 MB RSS instead of ~260 MB, at about the same speed.
 */
const PRODUCTION_NODE_FLAGS = ['--max-old-space-size=1024'];

const root = resolve(import.meta.dirname, '..');
const [name, ...args] = process.argv.slice(2);
const entry = join(root, 'dist', `bench-${name ?? ''}.js`);
const built = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts'), '--bench'], { stdio: 'inherit', cwd: root });
if (built.status !== 0) process.exit(built.status ?? 1);
if (name === undefined || !existsSync(entry)) {
  console.error('usage: npm run bench -- store|export|export-formats|patterns-accuracy|patterns-speed [args…]');
  process.exit(2);
}
console.log(`node ${[...PRODUCTION_NODE_FLAGS, entry].join(' ')} ${args.join(' ')}`);
const run = spawnSync(process.execPath, [...PRODUCTION_NODE_FLAGS, entry, ...args], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
