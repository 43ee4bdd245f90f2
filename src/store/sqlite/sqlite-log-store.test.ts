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

  it('streams pages of very long lines through the small-heap read workers', { timeout: 60_000 }, async () => {
    const store = await SqliteLogStore.open(join(dir, 'long.sqlite'), { readers: 1 });
    try {
      // 1 MB is the ingest limit per line; 300 of them are a 300 MB page, far over the 4 MB young generation.
      const line = (i: number): string => `${i} ${'x'.repeat(1024 * 1024 - 16)}`;
      for (let i = 0; i < 300; i += 50) {
        await store.append(set, Array.from({ length: 50 }, (_, k) => ({ ts: i + k, message: line(i + k), fields: {} })));
      }
      let seen = 0;
      for await (const hits of store.stream(set, { startTime: 0, endTime: 300, sortList: [['id', 'asc']] }, { pageSize: 300 })) {
        for (const h of hits) expect(h.row.message === line(seen++)).toBe(true);
      }
      expect(seen).toBe(300);
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
