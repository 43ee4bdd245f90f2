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

/** A template with every run of variables collapsed to one marker: equal skeletons differ only in variable runs. */
export function skeletonOf(template: readonly string[]): string {
  let out = '';
  let inVar = false;
  for (const t of template) {
    if (isVar(t)) {
      if (!inVar) out += '\u0000\u0001';
      inVar = true;
    } else {
      out += t + '\u0001';
      inVar = false;
    }
  }
  return out;
}

/**
 * Variable-length grouping for labelling: clusters (of any token count) whose templates are equal
 * once each run of variables is collapsed, and that share at least one word, are labelled with one
 * template: that of the member with the most tokens (so an empty value, `()`, is shown as a variable,
 * and a value that spans several tokens is one template). Returns cluster → representative.
 */
export function groupVariableRuns(level: LevelMiner): Map<Cluster, Cluster> {
  const bySkeleton = new Map<string, Cluster>();
  const rep = new Map<Cluster, Cluster>();
  const members: [Cluster, string][] = [];
  for (const c of level.clusters.values()) {
    const skeleton = skeletonOf(c.template);
    members.push([c, skeleton]);
    if (!c.template.some((t) => !isVar(t))) continue;
    const best = bySkeleton.get(skeleton);
    if (best === undefined || c.template.length > best.template.length || (c.template.length === best.template.length && c.size > best.size)) {
      bySkeleton.set(skeleton, c);
    }
  }
  for (const [c, skeleton] of members) rep.set(c, bySkeleton.get(skeleton) ?? c);
  return rep;
}
