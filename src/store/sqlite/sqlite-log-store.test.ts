import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { IndexSet } from '../index-set.ts';
import { describeLogStoreConformance } from '../log-store.conformance.ts';
import { SqliteLogStore } from './sqlite-log-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'logsift-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A real file: reads go through the worker threads, as in production.
describeLogStoreConformance('sqlite file', () => SqliteLogStore.open(join(dir, 'logs.sqlite')));

describe('SqliteLogStore read workers', () => {
  const set: IndexSet = {
    id: 1, name: 's', bkBizId: 1, timeField: 'ts', messageField: 'log', fields: [], sortFields: [],
    retentionDays: 1, desensitizeRules: [], createdAt: '', createdBy: '',
  };

  it('replaces a read worker that died and keeps answering', async () => {
    const store = await SqliteLogStore.open(join(dir, 'crash.sqlite'), { readers: 2 });
    try {
      await store.append(set, [{ ts: 1, message: 'a', fields: {} }, { ts: 2, message: 'b', fields: {} }]);
      const reader = (store as unknown as { reader: { slots: Array<{ worker: Worker }> } }).reader;
      const dying = reader.slots[0]?.worker;
      await dying?.terminate();
      await new Promise((r) => setTimeout(r, 50));
      expect(reader.slots[0]?.worker).not.toBe(dying);
      for (let i = 0; i < 4; i++) expect(await store.count(set, { startTime: 0, endTime: 5 })).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('serves ":memory:" databases on the writer connection', async () => {
    const store = await SqliteLogStore.open(':memory:');
    try {
      await store.append(set, [{ ts: 1, message: 'hello', fields: {} }]);
      expect((await store.search(set, { startTime: 0, endTime: 5, query: 'hell*' })).hits.map((h) => h.row.message)).toEqual(['hello']);
    } finally {
      await store.close();
    }
  });
});
