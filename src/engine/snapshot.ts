import { parseConfig, type PatternConfig } from './config.ts';
import { EngineError } from './engine-error.ts';
import type { Cluster, Leaf, LevelMiner, TreeNode } from './level-miner.ts';
import { TemplateMiner } from './template-miner.ts';

/** The snapshot format name and the newest version this code reads and writes. */
export const SNAPSHOT_FORMAT = 'logsift-patterns-model';
export const SNAPSHOT_VERSION = 1;

interface NodeJson {
  /** children in insertion order: [token, node] */
  c?: [string, NodeJson][];
  /** wildcard child */
  w?: NodeJson;
  /** leaf: cluster ids in leaf order */
  l?: number[];
}

interface ClusterJson {
  id: number;
  /** template entries; variables are "\u0000NAME" */
  t: string[];
  size: number;
  tick: number;
  sample: string;
}

interface LevelJson {
  nextId: number;
  tick: number;
  evictions: number;
  /** least recently used first */
  clusters: ClusterJson[];
  tree: [number, NodeJson][];
}

/** The whole state of a TemplateMiner as plain JSON data (no code, no class names). */
export interface ModelSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  config: PatternConfig;
  levels: LevelJson[];
  seen: string[];
}

function nodeToJson(node: TreeNode): NodeJson {
  const out: NodeJson = {};
  if (node.children.size > 0) out.c = [...node.children].map(([k, v]) => [k, nodeToJson(v)]);
  if (node.wildcard !== undefined) out.w = nodeToJson(node.wildcard);
  if (node.leaf !== undefined) out.l = node.leaf.clusters.map((c) => c.id);
  return out;
}

/** Captures a miner's whole state. Loading it gives a miner that continues exactly like this one. */
export function toSnapshot(miner: TemplateMiner): ModelSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    config: miner.config,
    levels: miner.levels.map((level) => ({
      nextId: level.nextId,
      tick: level.tick,
      evictions: level.evictions,
      clusters: level.lruOrder().map((c) => ({ id: c.id, t: c.template, size: c.size, tick: c.tick, sample: c.sample })),
      tree: [...level.roots].map(([n, node]) => [n, nodeToJson(node)]),
    })),
    seen: [...miner.seen],
  };
}

const fail = (why: string): EngineError => new EngineError('BAD_MODEL_FILE', `the model file is not valid: ${why}`);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const MAX_TREE_DEPTH = 128;

function readCluster(raw: unknown): Cluster {
  if (!isObj(raw) || !isInt(raw.id) || !isInt(raw.size) || !isInt(raw.tick) || typeof raw.sample !== 'string'
    || !Array.isArray(raw.t) || !raw.t.every((x) => typeof x === 'string' && x !== '')) {
    throw fail('a cluster entry is malformed');
  }
  const template = raw.t as string[];
  return { id: raw.id, template, size: raw.size, leaves: [], key: template.join('\u0001'), tick: raw.tick, mergedInto: undefined, sample: raw.sample, cache: undefined, older: undefined, newer: undefined };
}

function readNode(raw: unknown, byId: Map<number, Cluster>, depth: number): TreeNode {
  if (!isObj(raw) || depth > MAX_TREE_DEPTH) throw fail('a tree node is malformed');
  const node: TreeNode = { children: new Map(), wildcard: undefined, leaf: undefined };
  if (raw.c !== undefined) {
    if (!Array.isArray(raw.c)) throw fail('tree children must be a list');
    for (const entry of raw.c as unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') throw fail('a tree child is malformed');
      node.children.set(entry[0], readNode(entry[1], byId, depth + 1));
    }
  }
  if (raw.w !== undefined) node.wildcard = readNode(raw.w, byId, depth + 1);
  if (raw.l !== undefined) {
    if (!Array.isArray(raw.l)) throw fail('a leaf must be a list of cluster ids');
    const leaf: Leaf = { clusters: [] };
    for (const id of raw.l as unknown[]) {
      const c = isInt(id) ? byId.get(id) : undefined;
      if (c === undefined) throw fail(`a leaf refers to an unknown cluster ${String(id)}`);
      leaf.clusters.push(c);
      c.leaves.push(leaf);
    }
    node.leaf = leaf;
  }
  return node;
}

function readLevel(raw: unknown, level: LevelMiner): void {
  if (!isObj(raw) || !isInt(raw.nextId) || !isInt(raw.tick) || !isInt(raw.evictions) || !Array.isArray(raw.clusters) || !Array.isArray(raw.tree)) {
    throw fail('a level is malformed');
  }
  const byId = new Map<number, Cluster>();
  for (const entry of raw.clusters as unknown[]) {
    const c = readCluster(entry);
    if (byId.has(c.id) || c.id >= raw.nextId) throw fail(`cluster id ${c.id} is duplicated or out of range`);
    byId.set(c.id, c);
    level.clusters.set(c.id, c);
    level.appendNewest(c);
    if (level.byKey.has(c.key)) throw fail('two clusters share one template');
    level.byKey.set(c.key, c);
  }
  for (const entry of raw.tree as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2 || !isInt(entry[0])) throw fail('a tree root is malformed');
    level.roots.set(entry[0], readNode(entry[1], byId, 0));
  }
  level.nextId = raw.nextId;
  level.tick = raw.tick;
  level.evictions = raw.evictions;
}

/**
 * Rebuilds a miner from a snapshot (an object or its JSON text). Only JSON is parsed, nothing is
 * executed; a malformed file, another format or a newer version raises BAD_MODEL_FILE.
 */
export function fromSnapshot(input: unknown): TemplateMiner {
  let raw = input;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw) as unknown;
    } catch (err) {
      throw fail(`not JSON (${(err as Error).message})`);
    }
  }
  if (!isObj(raw) || raw.format !== SNAPSHOT_FORMAT) throw fail(`it is not a ${SNAPSHOT_FORMAT} file`);
  if (!isInt(raw.version)) throw fail('version is missing');
  if (raw.version > SNAPSHOT_VERSION) {
    throw new EngineError('BAD_MODEL_FILE', `the model file has version ${raw.version}; this logsift reads up to version ${SNAPSHOT_VERSION}`);
  }
  let config: PatternConfig;
  try {
    config = parseConfig(raw.config);
  } catch (err) {
    throw fail(`its configuration is invalid (${(err as Error).message})`);
  }
  const miner = new TemplateMiner(config);
  if (!Array.isArray(raw.levels) || raw.levels.length !== miner.levels.length) throw fail('the level count does not match its configuration');
  (raw.levels as unknown[]).forEach((level, i) => readLevel(level, miner.levels[i] as LevelMiner));
  if (!Array.isArray(raw.seen) || !raw.seen.every((s) => typeof s === 'string')) throw fail('seen must be a list of signatures');
  for (const s of raw.seen as string[]) miner.seen.add(s);
  return miner;
}
