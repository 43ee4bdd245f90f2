import { type Cluster, type LevelMiner } from './level-miner.ts';
import { mergeTemplate } from './similarity.ts';

/** Length groups larger than this are not post-merged (the pass is pairwise within a group). */
export const POST_MERGE_GROUP_LIMIT = 3000;

const isVar = (key: string): boolean => key.charCodeAt(0) === 0;

/**
 * Whether two templates of one length differ only where at least one of them is a variable, in at
 * most `maxDiff` positions, and share at least one word. Words that differ are never merged here:
 * deciding that is the online similarity's job.
 */
export function variableCompatible(a: readonly string[], b: readonly string[], maxDiff: number): boolean {
  let diff = 0;
  let sharedWord = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x === y) {
      if (!isVar(x)) sharedWord = true;
      continue;
    }
    if (!isVar(x) && !isVar(y)) return false;
    if (++diff > maxDiff) return false;
  }
  return sharedWord;
}

/**
 * The post-pass: clusters of one level and one token count whose templates are variable-compatible
 * (within the level's max_dist) are merged into the oldest of them. Templates stay unique.
 */
export function mergeVariablePositions(level: LevelMiner): void {
  const byLength = new Map<number, Cluster[]>();
  for (const c of level.clusters.values()) {
    const list = byLength.get(c.template.length);
    if (list === undefined) byLength.set(c.template.length, [c]);
    else list.push(c);
  }
  for (const [length, list] of byLength) {
    if (list.length < 2 || list.length > POST_MERGE_GROUP_LIMIT) continue;
    const maxDiff = Math.floor(level.maxDist * length);
    if (maxDiff === 0) continue;
    list.sort((x, y) => x.id - y.id);
    for (let i = 0; i < list.length; i++) {
      const keep = list[i] as Cluster;
      if (keep.mergedInto !== undefined) continue;
      for (let j = i + 1; j < list.length; j++) {
        const other = list[j] as Cluster;
        if (other.mergedInto !== undefined || !variableCompatible(keep.template, other.template, maxDiff)) continue;
        mergeTemplate(keep.template, other.template, length);
        level.absorb(keep, other);
        const survivor = level.rekey(keep);
        if (survivor !== keep) break;
      }
    }
  }
}
