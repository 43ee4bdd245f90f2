import { describe, expect, it } from 'vitest';
import { signatureOf } from './signature.ts';
import { TemplateMiner } from './template-miner.ts';

describe('TemplateMiner.learn', () => {
  it('returns signatures per level, both pattern forms, the variables and is_new', () => {
    const miner = new TemplateMiner({ max_dist_list: [0.1, 0.5] });
    const first = miner.learn('Failed password for alice from 10.0.0.1 port 2201 ssh2');
    expect(first.is_new).toBe(true);
    expect(Object.keys(first.signatures)).toEqual(['01', '05']);
    expect(first.origin_pattern).toBe('Failed password for alice from #IP# port #NUMBER# ssh2');
    expect(first.signatures['05']).toBe(signatureOf(first.origin_pattern));
    expect(first.variables).toEqual([{ name: 'IP', value: '10.0.0.1' }, { name: 'NUMBER', value: '2201' }]);

    const second = miner.learn('Failed password for bob from 10.0.0.2 port 2202 ssh2');
    expect(second.origin_pattern).toBe('Failed password for #VAR# from #IP# port #NUMBER# ssh2');
    expect(second.is_new).toBe(true);
    expect(second.cluster_id).toBe(first.cluster_id);
    expect(second.variables[0]).toEqual({ name: 'VAR', value: 'bob' });
    expect(miner.learn('Failed password for carol from 10.0.0.3 port 2203 ssh2').is_new).toBe(false);
  });

  it('gives finer templates on a lower-distance level', () => {
    const miner = new TemplateMiner({ max_dist_list: [0.1, 0.5] });
    miner.learn('worker alpha started task in pool main');
    const r = miner.learn('worker beta started job in pool main');
    expect(r.origin_pattern).toBe('worker beta started job in pool main');
    expect(r.signatures['01']).toBe(signatureOf(r.origin_pattern));
    expect(r.signatures['05']).toBe(signatureOf('worker #VAR# started #VAR# in pool main'));
  });

  it('writes pattern over the message text, keeping its punctuation', () => {
    const miner = new TemplateMiner();
    const r = miner.learn('[client 222.166.160.184] Directory index forbidden by rule: /var/www/html/');
    expect(r.pattern).toBe('[client #IP#] Directory index forbidden by rule: #PATH#');
  });

  it('reports is_new only once a cluster reaches min_members', () => {
    const miner = new TemplateMiner({ min_members: 2 });
    expect(miner.learn('cache flushed in 12 ms').is_new).toBe(false);
    expect(miner.learn('cache flushed in 15 ms').is_new).toBe(true);
    expect(miner.learn('cache flushed in 17 ms').is_new).toBe(false);
  });

  it('matches without learning', () => {
    const miner = new TemplateMiner();
    miner.learn('job 1234 finished');
    expect(miner.match('job 5678 finished')?.origin_pattern).toBe('job #NUMBER# finished');
    expect(miner.match('something else entirely')).toBeUndefined();
    expect(miner.clusterCounts()['05']).toBe(1);
  });
});

describe('offline labelling', () => {
  it('splits a two-word enumeration whose words repeat, but not a variable with many values', () => {
    const lines: string[] = [];
    const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
    for (let i = 0; i < 12; i++) lines.push(`Failed ${i % 2 === 0 ? 'password' : 'none'} for user ${users[i % 6] as string} from 10.0.0.${i} port ${4000 + i} ssh2`);
    const labels = new TemplateMiner().labelBatch(lines, () => '<*>');
    expect(new Set(labels)).toEqual(new Set([
      'Failed password for user <*> from <*> port <*> ssh2',
      'Failed none for user <*> from <*> port <*> ssh2',
    ]));
  });
});

describe('Drain3 pathologies', () => {
  it('never keeps two clusters with one template', () => {
    const miner = new TemplateMiner({ depth: 5 });
    const lines = ['alpha beta x1 12', 'gamma beta x1 13', 'alpha beta y 14', 'gamma beta y 15', 'delta beta z 16', 'alpha beta w 17'];
    for (let round = 0; round < 20; round++) for (const l of lines) miner.train(l);
    const templates = miner.templates().map((t) => t.origin_pattern);
    expect(new Set(templates).size).toBe(templates.length);
  });

  it('does not grow without bound on value-churning one-token messages', () => {
    const miner = new TemplateMiner();
    for (let i = 0; i < 5000; i++) miner.train(`setTodayTotalDetailSteps=${1514038530000 + i * 7919}##${i % 97}##${i}`);
    expect(miner.clusterCounts()['05']).toBeLessThanOrEqual(2);
  });

  it('bounds clusters by max_clusters and leaves by max_child', () => {
    const miner = new TemplateMiner({ max_clusters: 50, max_child: 10 });
    const words = (i: number): string => i.toString(26).replace(/[0-9]/g, (d) => String.fromCharCode(103 + Number(d)));
    for (let i = 0; i < 3000; i++) miner.train(`${words(i)} ${words(i * 31 + 7)} ${words(i * 17 + 3)}`);
    expect(miner.clusterCounts()['05']).toBeLessThanOrEqual(50);
    for (const root of miner.levels[0]!.roots.values()) {
      expect(root.children.size).toBeLessThanOrEqual(10);
      if (root.leaf) expect(root.leaf.clusters.length).toBeLessThanOrEqual(10);
    }
    expect(miner.levels[0]!.evictions).toBeGreaterThan(0);
  });

  it('keeps masked-heavy messages in one cluster', () => {
    const miner = new TemplateMiner();
    for (let i = 0; i < 500; i++) miner.train(`onExtend:${1514038530000 + i} ${i % 20} 0 ${i % 5}`);
    expect(miner.clusterCounts()['05']).toBe(1);
  });
});

describe('hostile input', () => {
  it('truncates huge lines to max_log_length', () => {
    const miner = new TemplateMiner({ max_log_length: 100 });
    const r = miner.learn(`${'word '.repeat(200_000)}end`);
    expect(r.pattern.length).toBeLessThanOrEqual(100);
  });

  it('handles invalid UTF-16, NUL and control characters', () => {
    const miner = new TemplateMiner();
    for (const m of ['\uD800\uD800 x', '\u0000\u0000', 'a\u0000b 12', '\uDFFF', '', '   ', '\u0007\u001b[31m red']) {
      const r = miner.learn(m);
      expect(r.signatures['05']).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(miner.learn('a\u0000b 12').origin_pattern).not.toContain('\u0000');
  });

  it('rejects a catastrophic user regex up front', () => {
    expect(() => new TemplateMiner({ predefined_varibles: ['EVIL:(a+)+b'] })).toThrow(expect.objectContaining({ code: 'BAD_PATTERN_CONFIG' }));
    expect(() => new TemplateMiner({ delimeter: '(\\s+)+x' })).toThrow(expect.objectContaining({ code: 'BAD_PATTERN_CONFIG' }));
  });

  it('runs bk-log\'s regexes on a long adversarial line (bounded by max_log_length)', () => {
    const miner = new TemplateMiner({ preset: 'bklog' });
    const r = miner.learn(`${'1'.repeat(5000)}-${'/a'.repeat(5000)} 2024-01-01 10:00:00`);
    expect(r.origin_pattern.length).toBeGreaterThan(0);
  });
});

describe('bklog preset', () => {
  it('uses bk-log\'s tokeniser and variables', () => {
    const miner = new TemplateMiner({ preset: 'bklog' });
    expect(miner.debug('GET http://example.com/a?b=1 took 15 ms at 2024-01-02 10:11:12').pattern)
      .toBe('GET #URL# took #NUMBER# ms at #DATETIME#');
  });
});
