import { levelName, parseConfig, type PatternConfig } from './config.ts';
import { resolveCluster, type Cluster, LevelMiner } from './level-miner.ts';
import { EnumerationStats } from './enum-split.ts';
import { compileMasking } from './masking.ts';
import { groupVariableRuns, mergeVariablePositions } from './post-merge.ts';
import { type ExtractedVariable, extractVariables, HASH_PLACEHOLDER, joinTemplate, type PlaceholderStyle, renderOverText } from './render.ts';
import { signatureOf } from './signature.ts';
import { Tokenizer } from './tokenizer.ts';

/** What learning one message yields (bk-log's model output per log). */
export interface LearnResult {
  /** Level name ("05") → 32-hex signature of that level's template. */
  signatures: Record<string, string>;
  /** The first level's template written over this message's text (bk-log `pattern`), `#NAME#` placeholders. */
  pattern: string;
  /** The first level's template tokens joined by one space (bk-log `origin_pattern`). */
  origin_pattern: string;
  /** The values at the template's variable positions. */
  variables: ExtractedVariable[];
  /** True the first time the first level's signature is seen (once its cluster holds min_members messages). */
  is_new: boolean;
  /** The first level's cluster id (stable while the model lives; merged ids resolve to the survivor). */
  cluster_id: number;
}

/** A template as listed by `templates()`. */
export interface TemplateInfo {
  cluster_id: number;
  signature: string;
  origin_pattern: string;
  size: number;
}

/** Seen signatures are remembered up to this multiple of max_clusters (bounded memory for `is_new`). */
const SEEN_FACTOR = 4;

/**
 * The online log-template miner: one message at a time (`learn`), inference without learning
 * (`match`), batch offline labelling (`labelBatch`), and versioned snapshots (see snapshot.ts).
 * Pure: no I/O, no Node built-ins.
 */
export class TemplateMiner {
  readonly config: PatternConfig;
  readonly levels: LevelMiner[];
  readonly levelNames: string[];
  readonly tokenizer: Tokenizer;
  /** Signatures already reported as new, oldest first (bounded). */
  readonly seen = new Set<string>();

  constructor(config: unknown = {}) {
    this.config = parseConfig(config);
    this.tokenizer = new Tokenizer(this.config, compileMasking(this.config.predefined_varibles));
    const routeDepth = this.config.depth - 3;
    this.levels = this.config.max_dist_list.map((dist, i) => {
      // a level accepts a message when its distance (1 − similarity) is within both 1 − st and max_dist
      const st = Math.max(this.config.st_list[this.config.st_list.length === 1 ? 0 : i] as number, 1 - dist);
      return new LevelMiner(st, dist, routeDepth, this.config.max_child, this.config.max_clusters);
    });
    this.levelNames = this.config.max_dist_list.map(levelName);
  }

  /** Training hot path: learns a message on every level and returns the first level's cluster. */
  train(message: string): Cluster {
    const tokens = this.tokenizer.tokenize(message);
    let first: Cluster | undefined;
    for (const level of this.levels) {
      const c = level.learn(tokens);
      first ??= c;
    }
    return first as Cluster;
  }

  /** Learns one message and returns its signatures, patterns, variables and `is_new`. */
  learn(message: string): LearnResult {
    const tokens = this.tokenizer.tokenize(message);
    const signatures: Record<string, string> = {};
    let first: Cluster | undefined;
    for (let i = 0; i < this.levels.length; i++) {
      const c = (this.levels[i] as LevelMiner).learn(tokens);
      first ??= c;
      signatures[this.levelNames[i] as string] = this.signature(c);
    }
    const cluster = first as Cluster;
    const signature = this.signature(cluster);
    let isNew = false;
    if (cluster.size >= this.config.min_members && !this.seen.has(signature)) {
      isNew = true;
      this.remember(signature);
    }
    return {
      signatures,
      pattern: renderOverText(tokens, cluster.template, HASH_PLACEHOLDER),
      origin_pattern: this.originPattern(cluster),
      variables: extractVariables(tokens, cluster.template),
      is_new: isNew,
      cluster_id: cluster.id,
    };
  }

  /** Inference on the first level: the matching template, or undefined. Changes nothing. */
  match(message: string): Omit<LearnResult, 'is_new' | 'signatures'> & { signature: string } | undefined {
    const tokens = this.tokenizer.tokenize(message);
    const cluster = (this.levels[0] as LevelMiner).match(tokens);
    if (cluster === undefined) return undefined;
    return {
      signature: this.signature(cluster),
      pattern: renderOverText(tokens, cluster.template, HASH_PLACEHOLDER),
      origin_pattern: this.originPattern(cluster),
      variables: extractVariables(tokens, cluster.template),
      cluster_id: cluster.id,
    };
  }

  /**
   * Offline labelling: learns every message, merges clusters whose templates differ only in
   * variable-looking positions, groups variable-length runs and splits enumerations (see
   * EnumerationStats), then gives each message its final template, written over the first message
   * of its group (so one group has exactly one label string).
   */
  labelBatch(messages: readonly string[], style: PlaceholderStyle = HASH_PLACEHOLDER): string[] {
    const owners: Cluster[] = new Array<Cluster>(messages.length);
    for (let i = 0; i < messages.length; i++) owners[i] = this.train(messages[i] as string);
    const rep = this.finalize();
    const stats = new EnumerationStats();
    for (let i = 0; i < messages.length; i++) {
      const own = resolveCluster(owners[i] as Cluster);
      const c = rep.get(own) ?? own;
      owners[i] = c;
      const tokens = this.tokenizer.tokenize(messages[i] as string);
      stats.add(c, tokens.keys, tokens.count);
    }
    const enumPositions = new Map<Cluster, number[]>();
    const labels = new Map<string, string>();
    const out: string[] = new Array<string>(messages.length);
    for (let i = 0; i < messages.length; i++) {
      const c = owners[i] as Cluster;
      let positions = enumPositions.get(c);
      if (positions === undefined) {
        positions = stats.positions(c);
        enumPositions.set(c, positions);
      }
      let key = String(c.id);
      let tokens = undefined;
      if (positions.length > 0) {
        tokens = this.tokenizer.tokenize(messages[i] as string);
        if (tokens.count === c.template.length) for (const p of positions) key += '\u0001' + (tokens.keys[p] as string);
        else tokens = undefined;
      }
      let label = labels.get(key);
      if (label === undefined) {
        if (tokens === undefined) label = renderOverText(this.tokenizer.tokenize(c.sample), c.template, style);
        else {
          const template = c.template.slice();
          for (const p of positions) template[p] = tokens.keys[p] as string;
          label = renderOverText(tokens, template, style);
        }
        labels.set(key, label);
      }
      out[i] = label;
    }
    return out;
  }

  /**
   * bk-log's debug endpoint: how the configuration alone (tokeniser + predefined variables) sees a
   * message, without any clustering: tokens joined by one space, variables as `#NAME#`.
   */
  debug(message: string): { pattern: string; variables: ExtractedVariable[] } {
    const tokens = this.tokenizer.tokenize(message);
    const words: string[] = [];
    for (let i = 0; i < tokens.count; i++) {
      const key = tokens.keys[i] as string;
      words.push(key.charCodeAt(0) === 0 ? key : tokens.text.slice(tokens.starts[i], tokens.ends[i]));
    }
    return { pattern: joinTemplate(words), variables: extractVariables(tokens, tokens.keys) };
  }

  /** Online labelling: each message's template as it was when the message arrived. */
  labelOnline(message: string, style: PlaceholderStyle = HASH_PLACEHOLDER): string {
    const cluster = this.train(message);
    return renderOverText(this.tokenizer.out, cluster.template, style);
  }

  /**
   * The post-pass: per level, merge clusters whose templates differ only in variable-looking positions;
   * returns the first level's variable-run grouping (cluster → the cluster whose template labels it).
   */
  finalize(): Map<Cluster, Cluster> {
    for (const level of this.levels) mergeVariablePositions(level);
    return groupVariableRuns(this.levels[0] as LevelMiner);
  }

  /** The 32-hex signature of a cluster's template (cached until the template changes). */
  signature(cluster: Cluster): string {
    const cache = (cluster.cache ??= {});
    return (cache.signature ??= signatureOf(this.originPattern(cluster)));
  }

  /** bk-log's origin_pattern of a cluster (cached). */
  originPattern(cluster: Cluster): string {
    const cache = (cluster.cache ??= {});
    return (cache.origin ??= joinTemplate(cluster.template));
  }

  /** The live templates of one level, most used first. */
  templates(level = 0): TemplateInfo[] {
    const miner = this.levels[level];
    if (miner === undefined) return [];
    return [...miner.clusters.values()]
      .map((c) => ({ cluster_id: c.id, signature: this.signature(c), origin_pattern: this.originPattern(c), size: c.size }))
      .sort((a, b) => b.size - a.size || a.cluster_id - b.cluster_id);
  }

  /** Cluster counts per level. */
  clusterCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    this.levels.forEach((l, i) => (out[this.levelNames[i] as string] = l.clusters.size));
    return out;
  }

  private remember(signature: string): void {
    this.seen.add(signature);
    if (this.seen.size > this.config.max_clusters * SEEN_FACTOR) {
      const oldest = this.seen.values().next();
      if (oldest.done !== true) this.seen.delete(oldest.value);
    }
  }
}

export type { PlaceholderStyle };
