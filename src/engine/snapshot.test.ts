import { describe, expect, it } from 'vitest';
import { fromSnapshot, SNAPSHOT_VERSION, toSnapshot } from './snapshot.ts';
import { TemplateMiner } from './template-miner.ts';

function corpus(n: number): string[] {
  const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const u = users[i % users.length] as string;
    out.push(
      i % 3 === 0 ? `Accepted password for ${u} from 10.0.${i % 7}.${i % 250} port ${1000 + i} ssh2`
        : i % 3 === 1 ? `session ${i % 2 === 0 ? 'opened' : 'closed'} for user ${u} by (uid=${i % 5})`
          : `Received block blk_${i * 7919} of size ${i * 13} from /10.1.${i % 9}.${i % 200}`,
    );
  }
  return out;
}

describe('snapshots', () => {
  it('a loaded model continues exactly like the saved one', () => {
    const lines = corpus(400);
    const original = new TemplateMiner({ max_dist_list: [0.3, 0.5], max_clusters: 8, max_child: 4 });
    for (const line of lines.slice(0, 200)) original.learn(line);
    const loaded = fromSnapshot(JSON.stringify(toSnapshot(original)));
    for (const line of lines.slice(200)) expect(loaded.learn(line)).toEqual(original.learn(line));
    expect(toSnapshot(loaded)).toEqual(toSnapshot(original));
  });

  it('keeps is_new state across a restart', () => {
    const miner = new TemplateMiner();
    expect(miner.learn('disk full on node 1').is_new).toBe(true);
    const loaded = fromSnapshot(toSnapshot(miner));
    expect(loaded.learn('disk full on node 1').is_new).toBe(false);
  });

  it.each([
    ['not JSON', '{nope', /not JSON/],
    ['another format', JSON.stringify({ format: 'drain3', version: 1 }), /not a logsift-patterns-model file/],
    ['a newer version', JSON.stringify({ format: 'logsift-patterns-model', version: SNAPSHOT_VERSION + 1 }), /newer|reads up to version/],
    ['a bad config', JSON.stringify({ format: 'logsift-patterns-model', version: 1, config: { depth: 1 } }), /configuration is invalid/],
  ])('rejects %s with BAD_MODEL_FILE', (_what, text, message) => {
    expect(() => fromSnapshot(text)).toThrow(expect.objectContaining({ code: 'BAD_MODEL_FILE', message: expect.stringMatching(message) }));
  });

  it('rejects a leaf that points to an unknown cluster and duplicate templates', () => {
    const miner = new TemplateMiner();
    miner.learn('hello world 1');
    const snap = toSnapshot(miner);
    const broken = JSON.parse(JSON.stringify(snap)) as { levels: { tree: [number, { w?: { l?: number[] }; c?: [string, { l?: number[] }][] }][]; clusters: unknown[] }[] };
    const firstLevel = broken.levels[0]!;
    const leafNode = firstLevel.tree[0]![1].c![0]![1];
    leafNode.l = [999];
    expect(() => fromSnapshot(broken)).toThrow(expect.objectContaining({ code: 'BAD_MODEL_FILE' }));
    const dup = JSON.parse(JSON.stringify(snap)) as { levels: { clusters: { id: number }[]; nextId: number }[] };
    const level = dup.levels[0]!;
    level.clusters.push({ ...level.clusters[0]!, id: 5 });
    level.nextId = 6;
    expect(() => fromSnapshot(dup)).toThrow(expect.objectContaining({ code: 'BAD_MODEL_FILE', message: expect.stringContaining('share one template') }));
  });
});
