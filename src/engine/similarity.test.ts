import { describe, expect, it } from 'vitest';
import { groupVariableRuns, skeletonOf, variableCompatible } from './post-merge.ts';
import { mergeTemplate, similarity } from './similarity.ts';
import { VAR, WILDCARD } from './tokenizer.ts';
import { TemplateMiner } from './template-miner.ts';

const v = (name: string): string => VAR + name;

describe('similarity', () => {
  it('ignores positions that are variables on both sides (a masked-heavy message matches its template)', () => {
    const t = ['onExtend', v('NUMBER'), v('NUMBER'), v('NUMBER')];
    expect(similarity(t, ['onExtend', v('NUMBER'), v('NUMBER'), v('NUMBER')], 4)).toBe(1);
  });

  it('counts a word under a template variable as compared but not matched', () => {
    expect(similarity([v('VAR'), 'logged', 'in', 'now'], ['bob', 'logged', 'in', 'now'], 4)).toBe(0.99);
    expect(similarity([v('VAR'), v('VAR'), 'x'], ['a', 'b', 'x'], 3)).toBeCloseTo(1 / 3);
  });

  it('allows one differing word in three or more compared positions, not in two', () => {
    expect(similarity(['session', 'closed', 'for', 'alice'], ['session', 'closed', 'for', 'bob'], 4)).toBe(0.99);
    expect(similarity(['VM', 'Started'], ['VM', 'Paused'], 2)).toBe(0.5);
    expect(similarity(['a', 'b', 'c', 'd', 'e'], ['a', 'b', 'x', 'y', 'e'], 5)).toBeCloseTo(0.6);
  });
});

describe('mergeTemplate', () => {
  it('turns differing words into the wildcard and takes a variable\'s name over a word', () => {
    const t = ['user', 'alice', 'port', '22'];
    expect(mergeTemplate(t, ['user', 'bob', 'port', v('NUMBER')], 4)).toBe(true);
    expect(t).toEqual(['user', WILDCARD, 'port', v('NUMBER')]);
  });

  it('generalises two different variable names to the wildcard and reports no change otherwise', () => {
    const t = ['x', v('IP')];
    expect(mergeTemplate(t, ['x', v('IP')], 2)).toBe(false);
    expect(mergeTemplate(t, ['x', v('HEX')], 2)).toBe(true);
    expect(t).toEqual(['x', WILDCARD]);
  });
});

describe('post-pass helpers', () => {
  it('variableCompatible needs a shared word and only variable differences within the budget', () => {
    expect(variableCompatible(['a', v('X'), 'c'], ['a', 'b', 'c'], 1)).toBe(true);
    expect(variableCompatible(['a', 'x', 'c'], ['a', 'b', 'c'], 1)).toBe(false);
    expect(variableCompatible([v('X'), v('Y')], ['a', 'b'], 2)).toBe(false);
    expect(variableCompatible(['a', v('X'), v('Y')], ['a', 'b', 'c'], 1)).toBe(false);
  });

  it('skeletonOf collapses variable runs of any length', () => {
    expect(skeletonOf(['to', v('A'), v('B'), 'end'])).toBe(skeletonOf(['to', v('C'), 'end']));
    expect(skeletonOf(['to', v('A'), 'end'])).not.toBe(skeletonOf(['to', 'end']));
  });
});

describe('variable-length values', () => {
  it('labels a list of any length and an empty value with one template', () => {
    const miner = new TemplateMiner();
    const labels = miner.labelBatch([
      'BLOCK* ask 10.0.0.1:50010 to delete blk_1001 blk_1002 blk_1003',
      'BLOCK* ask 10.0.0.2:50010 to delete blk_1004',
      'BLOCK* ask 10.0.0.3:50010 to delete blk_1005 blk_1006',
      'connection from 10.0.0.1 (host-001.example.com) at 17',
      'connection from 10.0.0.2 () at 18',
    ], () => '<*>');
    expect(new Set(labels.slice(0, 3)).size).toBe(1);
    expect(labels[4]).toBe(labels[3]);
    expect(labels[3]).toBe('connection from <*> (<*>) at <*>');
    expect(groupVariableRuns(miner.levels[0]!).size).toBeGreaterThan(0);
  });
});
