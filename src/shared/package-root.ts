import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder of logsift's package.json (which also holds `demo/`). Found by walking up from this
 * module instead of a fixed `../..`, because the same code runs from `src/` (tsx) and bundled
 * into `dist/` (`npm run build`), at different depths.
 */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'logsift') {
      cached = dir;
      return dir;
    }
    if (dirname(dir) === dir) throw new Error("logsift's package.json was not found above its code");
  }
}
