import { mergeTemplate, similarity } from './similarity.ts';
import type { TokenList } from './tokenizer.ts';

/** One cluster: its template (token keys, VAR-prefixed entries are variables) and bookkeeping. */
export interface Cluster {
  readonly id: number;
  template: string[];
  size: number;
  /** Leaves that route to this cluster (more than one after clusters with one template were merged). */
  leaves: Leaf[];
  /** template joined: the identity used to keep templates unique. */
  key: string;
  /** Last use, for the LRU bounds. */
  tick: number;
  /** Set when this cluster was merged into another one; follow it to the survivor. */
  mergedInto: Cluster | undefined;
  /** The first message of the cluster (already cut to max_log_length): the text the template is written over. */
  sample: string;
  /** Neighbours in the LRU list (older, newer). */
  older: Cluster | undefined;
  newer: Cluster | undefined;
  /** Cached per-template values (signature, rendered pattern), dropped when the template changes. */
  cache: Record<string, string> | undefined;
}

export interface Leaf {
  clusters: Cluster[];
}

export interface TreeNode {
  children: Map<string, TreeNode>;
  wildcard: TreeNode | undefined;
  leaf: Leaf | undefined;
}

/** What learning one message did to its cluster. */
export type LearnChange = 'created' | 'changed' | 'none';

const KEY_SEP = '\u0001';
const newNode = (): TreeNode => ({ children: new Map(), wildcard: undefined, leaf: undefined });
const isVar = (key: string): boolean => key.charCodeAt(0) === 0;

/** Follows merge links to the surviving cluster. */
export function resolveCluster(cluster: Cluster): Cluster {
  let c = cluster;
  while (c.mergedInto !== undefined) c = c.mergedInto;
  return c;
}

/**
 * One similarity level: a Drain-style prefix tree (token count, then the first `depth − 3` tokens,
 * variables routed to a wildcard child, at most `max_child` children per node) whose leaves hold at
 * most `max_child` clusters, plus an LRU over all clusters bounded by `max_clusters`. Per message the
 * work is bounded by max_child × tokens, whatever the length of the stream.
 */
export class LevelMiner {
  readonly roots = new Map<number, TreeNode>();
  /** All live clusters by id. */
  readonly clusters = new Map<number, Cluster>();
  /** The LRU list: `oldest` is evicted first; `newest` was used last. */
  oldest: Cluster | undefined;
  newest: Cluster | undefined;
  readonly byKey = new Map<string, Cluster>();
  nextId = 1;
  tick = 0;
  /** What the last `learn` call did. */
  lastChange: LearnChange = 'none';
  evictions = 0;
  /** Scratch result of `search` (fields, so the hot path allocates nothing). */
  private candidate: Cluster | undefined = undefined;
  private candidateSim = -1;

  constructor(
    readonly st: number,
    readonly maxDist: number,
    private readonly routeDepth: number,
    private readonly maxChild: number,
    private readonly maxClusters: number,
  ) {}

  /** Assigns a message to its cluster (creating or generalising one) and returns the cluster. */
  learn(tokens: TokenList): Cluster {
    const n = tokens.count;
    const keys = tokens.keys;
    this.tick++;
    const leaf = this.leafFor(keys, n, true) as Leaf;
    const found = this.search(leaf, keys, n);
    if (found !== undefined) {
      let cluster = found;
      cluster.size++;
      this.touch(cluster);
      if (mergeTemplate(cluster.template, keys, n)) {
        cluster = this.rekey(cluster);
        this.lastChange = 'changed';
      } else this.lastChange = 'none';
      if (!leaf.clusters.includes(cluster)) this.addToLeaf(leaf, cluster);
      return cluster;
    }
    const template = keys.slice(0, n);
    const key = template.join(KEY_SEP);
    const same = this.byKey.get(key);
    if (same !== undefined) {
      // the exact template exists under another route: share it instead of duplicating it
      same.size++;
      this.touch(same);
      this.addToLeaf(leaf, same);
      this.lastChange = 'none';
      return same;
    }
    const cluster: Cluster = {
      id: this.nextId++, template, size: 1, leaves: [], key, tick: this.tick, mergedInto: undefined, sample: tokens.text, cache: undefined, older: undefined, newer: undefined,
    };
    this.clusters.set(cluster.id, cluster);
    this.appendNewest(cluster);
    this.byKey.set(key, cluster);
    this.addToLeaf(leaf, cluster);
    this.lastChange = 'created';
    if (this.clusters.size > this.maxClusters) this.evictLru();
    return cluster;
  }

  /** Inference: the cluster a message belongs to, without changing anything. */
  match(tokens: TokenList): Cluster | undefined {
    const n = tokens.count;
    return this.search(this.leafFor(tokens.keys, n, false), tokens.keys, n);
  }

  /**
   * The most similar cluster at or above the threshold, over the message's leaf and (when that gives
   * nothing good enough) the all-wildcard leaf; ties go to the most recently used cluster.
   */
  private search(leaf: Leaf | undefined, keys: readonly string[], n: number): Cluster | undefined {
    this.candidate = undefined;
    this.candidateSim = -1;
    if (leaf !== undefined) this.scanLeaf(leaf, keys, n);
    if (this.candidateSim < this.st) {
      const alt = this.wildcardLeaf(keys, n);
      if (alt !== undefined && alt !== leaf) this.scanLeaf(alt, keys, n);
    }
    return this.candidateSim >= this.st ? this.candidate : undefined;
  }

  private scanLeaf(leaf: Leaf, keys: readonly string[], n: number): void {
    for (const c of leaf.clusters) {
      const sim = similarity(c.template, keys, n);
      if (sim > this.candidateSim || (sim === this.candidateSim && this.candidate !== undefined && c.tick > this.candidate.tick)) {
        this.candidate = c;
        this.candidateSim = sim;
        if (sim === 1) return;
      }
    }
  }

  /** Walks (and with `create`, builds) the route of a message. */
  private leafFor(keys: readonly string[], n: number, create: boolean): Leaf | undefined {
    let node = this.roots.get(n);
    if (node === undefined) {
      if (!create) return undefined;
      node = newNode();
      this.roots.set(n, node);
    }
    const depth = Math.min(this.routeDepth, n);
    for (let i = 0; i < depth; i++) {
      const key = keys[i] as string;
      let next: TreeNode | undefined = isVar(key) ? undefined : node.children.get(key);
      if (next === undefined) {
        if (create && !isVar(key) && node.children.size < this.maxChild - 1) {
          next = newNode();
          node.children.set(key, next);
        } else {
          if (node.wildcard === undefined) {
            if (!create) return undefined;
            node.wildcard = newNode();
          }
          next = node.wildcard;
        }
      }
      node = next;
    }
    if (node.leaf === undefined) {
      if (!create) return undefined;
      node.leaf = { clusters: [] };
    }
    return node.leaf;
  }

  /** The leaf reached by routing every token through wildcard children (where variable-first messages live). */
  private wildcardLeaf(keys: readonly string[], n: number): Leaf | undefined {
    let node = this.roots.get(n);
    const depth = Math.min(this.routeDepth, n);
    for (let i = 0; i < depth && node !== undefined; i++) node = node.wildcard;
    return node?.leaf;
  }

  private touch(cluster: Cluster): void {
    cluster.tick = this.tick;
    if (this.newest === cluster) return;
    this.unlink(cluster);
    this.appendNewest(cluster);
  }

  /** Adds a cluster as the most recently used (also used when loading a snapshot, oldest first). */
  appendNewest(cluster: Cluster): void {
    cluster.older = this.newest;
    cluster.newer = undefined;
    if (this.newest !== undefined) this.newest.newer = cluster;
    else this.oldest = cluster;
    this.newest = cluster;
  }

  private unlink(cluster: Cluster): void {
    if (cluster.older !== undefined) cluster.older.newer = cluster.newer;
    else if (this.oldest === cluster) this.oldest = cluster.newer;
    if (cluster.newer !== undefined) cluster.newer.older = cluster.older;
    else if (this.newest === cluster) this.newest = cluster.older;
    cluster.older = undefined;
    cluster.newer = undefined;
  }

  /** Live clusters, least recently used first. */
  lruOrder(): Cluster[] {
    const out: Cluster[] = [];
    for (let c = this.oldest; c !== undefined; c = c.newer) out.push(c);
    return out;
  }

  private addToLeaf(leaf: Leaf, cluster: Cluster): void {
    if (leaf.clusters.length >= this.maxChild) {
      let lru = leaf.clusters[0] as Cluster;
      for (const c of leaf.clusters) if (c.tick < lru.tick) lru = c;
      this.detach(leaf, lru);
    }
    leaf.clusters.push(cluster);
    cluster.leaves.push(leaf);
  }

  /** Removes a cluster from one leaf; a cluster left in no leaf is forgotten. */
  private detach(leaf: Leaf, cluster: Cluster): void {
    leaf.clusters.splice(leaf.clusters.indexOf(cluster), 1);
    cluster.leaves.splice(cluster.leaves.indexOf(leaf), 1);
    if (cluster.leaves.length === 0) this.forget(cluster);
  }

  private forget(cluster: Cluster): void {
    this.clusters.delete(cluster.id);
    this.unlink(cluster);
    if (this.byKey.get(cluster.key) === cluster) this.byKey.delete(cluster.key);
    this.evictions++;
  }

  private evictLru(): void {
    const victim = this.oldest;
    if (victim === undefined) return;
    for (const leaf of victim.leaves) leaf.clusters.splice(leaf.clusters.indexOf(victim), 1);
    victim.leaves = [];
    this.forget(victim);
  }

  /**
   * Re-indexes a cluster whose template changed. If another cluster already has the new template,
   * the two are merged (the older id survives): no two live clusters ever share a template.
   */
  rekey(cluster: Cluster): Cluster {
    if (this.byKey.get(cluster.key) === cluster) this.byKey.delete(cluster.key);
    cluster.key = cluster.template.join(KEY_SEP);
    cluster.cache = undefined;
    const other = this.byKey.get(cluster.key);
    if (other === undefined || other === cluster) {
      this.byKey.set(cluster.key, cluster);
      return cluster;
    }
    const [keep, drop] = other.id < cluster.id ? [other, cluster] : [cluster, other];
    this.absorb(keep, drop);
    this.byKey.set(keep.key, keep);
    return keep;
  }

  /** Moves everything of `drop` into `keep`. */
  absorb(keep: Cluster, drop: Cluster): void {
    keep.size += drop.size;
    keep.tick = Math.max(keep.tick, drop.tick);
    for (const leaf of drop.leaves) {
      const at = leaf.clusters.indexOf(drop);
      if (leaf.clusters.includes(keep)) leaf.clusters.splice(at, 1);
      else {
        leaf.clusters[at] = keep;
        keep.leaves.push(leaf);
      }
    }
    drop.leaves = [];
    drop.mergedInto = keep;
    this.clusters.delete(drop.id);
    this.unlink(drop);
    if (this.byKey.get(drop.key) === drop) this.byKey.delete(drop.key);
  }
}
