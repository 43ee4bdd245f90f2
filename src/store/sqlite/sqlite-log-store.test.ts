import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { IndexSet } from '../index-set.ts';
import { describeLogStoreConformance } from '../log-store.conformance.ts';
import { STREAM_PAGE_CHARS } from '../query/run-plan.ts';
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

  it('cuts streamed pages of very long lines by size, and still delivers every row once', { timeout: 60_000 }, async () => {
    const store = await SqliteLogStore.open(join(dir, 'long.sqlite'), { readers: 1 });
    try {
      // 1 MB is the ingest limit per line: a 2,000-row page of them would be 2 GB.
      const line = (i: number): string => `${i} ${'x'.repeat(1024 * 1024 - 16)}`;
      for (let i = 0; i < 300; i += 50) {
        await store.append(set, Array.from({ length: 50 }, (_, k) => ({ ts: i + k, message: line(i + k), fields: {} })));
      }
      let seen = 0;
      let largest = 0;
      for await (const hits of store.stream(set, { startTime: 0, endTime: 300, sortList: [['id', 'asc']] })) {
        largest = Math.max(largest, hits.length);
        for (const h of hits) expect(h.row.message === line(seen++)).toBe(true);
      }
      expect(seen).toBe(300);
      // Pages stop at the row that reaches STREAM_PAGE_CHARS (32 Mi characters of row JSON, a little
      // more than the line itself): about 32 of these lines, not 250 (a slice) or 2,000 (a page).
      expect(largest).toBeLessThanOrEqual(Math.ceil(STREAM_PAGE_CHARS / line(0).length));
      expect(largest).toBeGreaterThan(STREAM_PAGE_CHARS / line(0).length / 2);
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
