import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultLoghubRoot, loadLoghub, loghubMetrics } from '../bench/patterns-loghub.ts';
import { placeholderStyle, TemplateMiner } from '../src/engine/index.ts';

/**
 * Golden accuracy: the default configuration over the shared Loghub-2k systems against the Loghub-2.0
 * corrected ground truth. Thresholds sit a little under what was measured (docs/patterns.md), so a
 * change that makes the engine worse fails here.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = defaultLoghubRoot(repoRoot);
const present = existsSync(root);
const MIN_AVERAGE = { GA: 0.96, PA: 0.91, FGA: 0.93, FTA: 0.84 };
const MIN_SYSTEM_GA = 0.79;

describe.skipIf(!present)('patterns golden accuracy (Loghub-2k, default config)', () => {
  it('keeps average GA/PA/FGA/FTA above the thresholds', () => {
    const systems = loadLoghub(root);
    expect(systems.length).toBeGreaterThanOrEqual(8);
    const results = systems.map((s) => ({ name: s.name, m: loghubMetrics(s.templates, new TemplateMiner().labelBatch(s.contents, placeholderStyle('<*>'))) }));
    const avg = (k: 'GA' | 'PA' | 'FGA' | 'FTA'): number => results.reduce((sum, r) => sum + r.m[k], 0) / results.length;
    for (const k of ['GA', 'PA', 'FGA', 'FTA'] as const) expect(avg(k), k).toBeGreaterThanOrEqual(MIN_AVERAGE[k]);
    for (const r of results) expect(r.m.GA, `${r.name} GA`).toBeGreaterThanOrEqual(MIN_SYSTEM_GA);
  });
});

if (!present) console.warn(`patterns golden test skipped: ${root} is absent`);
