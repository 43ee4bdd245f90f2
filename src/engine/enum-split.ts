import type { Cluster } from './level-miner.ts';
import { WILDCARD } from './tokenizer.ts';

/** A learned wildcard position with at most this many distinct words can be an enumeration. */
export const ENUM_MAX_VALUES = 2;
/** …and only if every one of its words occurred at least this often. */
export const ENUM_MIN_COUNT = 2;

const MANY = -1;

/**
 * Offline refinement (labelling only): a position that became a wildcard because its words differed
 * is really a constant of several templates when it holds a few words, each repeated (`Failed
 * password` / `Failed none`, `stored as bytes` / `stored as values`), as opposed to a variable whose
 * words are many or seen once (user names, hosts). Collects word counts per wildcard position and
 * decides which positions are enumerations.
 */
export class EnumerationStats {
  private readonly counts = new Map<Cluster, (Map<string, number> | typeof MANY | undefined)[]>();

  /** Records one message (its token keys) labelled by `cluster`; other token counts are ignored. */
  add(cluster: Cluster, keys: readonly string[], count: number): void {
    const template = cluster.template;
    if (count !== template.length) return;
    let perPos = this.counts.get(cluster);
    if (perPos === undefined) {
      perPos = new Array<Map<string, number> | typeof MANY | undefined>(template.length);
      this.counts.set(cluster, perPos);
    }
    for (let p = 0; p < count; p++) {
      if (template[p] !== WILDCARD) continue;
      const slot = perPos[p];
      if (slot === MANY) continue;
      const key = keys[p] as string;
      if (key.charCodeAt(0) === 0) {
        perPos[p] = MANY;
        continue;
      }
      const map = slot ?? new Map<string, number>();
      map.set(key, (map.get(key) ?? 0) + 1);
      perPos[p] = map.size > ENUM_MAX_VALUES ? MANY : map;
    }
  }

  /** The enumeration positions of a cluster (possibly none). */
  positions(cluster: Cluster): number[] {
    const perPos = this.counts.get(cluster);
    const out: number[] = [];
    if (perPos === undefined) return out;
    perPos.forEach((slot, p) => {
      if (slot === undefined || slot === MANY || slot.size < 2) return;
      for (const n of slot.values()) if (n < ENUM_MIN_COUNT) return;
      out.push(p);
    });
    return out;
  }
}
