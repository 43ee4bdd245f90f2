import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogStore } from '../store/create-log-store.ts';
import type { IndexSet } from '../store/index-set.ts';
import type { LogStore } from '../store/log-store.ts';
import { ingest } from './ingest-service.ts';

/** Ingest against the real embedded store: what ingest reports is what a search finds. */
const dir = mkdtempSync(join(tmpdir(), 'logsift-ingest-sqlite-'));
let store: LogStore;
beforeAll(async () => {
  store = await createLogStore({ kind: 'sqlite', file: join(dir, 'logs.sqlite') });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const indexSet = (id: number): IndexSet => ({
  id, name: `ingest-${id}`, bkBizId: 1, timeField: 'dtEventTimeStamp', messageField: 'log',
  fields: [{ name: 'level', type: 'keyword' }, { name: 'status', type: 'long' }],
  sortFields: [], retentionDays: 30, desensitizeRules: [], createdAt: '2026-11-01T00:00:00Z', createdBy: 'test',
});
const T = 1794795072345; // 2026-11-16 10:11:12.345 in Asia/Shanghai
const all = { startTime: 0, endTime: 4_000_000_000_000, size: 100, sortList: [['dtEventTimeStamp', 'asc']] as Array<[string, 'asc']> };
const lines = [
  'ts="2026-11-16 10:11:12.345" level=info status=200 msg="first"',
  'ts="2026-11-16 10:11:13.345" level=warn msg="second one"',
  'ts=nonsense msg="bad time"',
  'ts="2026-11-16 10:11:14.345" level=error status=503 msg="third"',
].join('\r\n');

describe('ingest into the SQLite store', () => {
  it('writes the good lines of gzipped logfmt and reports the bad one', async () => {
    const set = indexSet(1);
    const result = await ingest(store, set, Readable.from([gzipSync(lines)]), { format: 'logfmt', timeZone: 'Asia/Shanghai', batchSize: 2 });
    expect(result).toMatchObject({ accepted: 3, rejected: 1, badLines: [{ lineNo: 3, reason: 'unparseable timestamp "nonsense"' }] });
    const found = await store.search(set, all);
    expect(found.total).toBe(3);
    expect(found.hits.map((h) => [h.row.ts, h.row.message, h.row.fields])).toEqual([
      [T, 'first', { level: 'info', status: 200 }],
      [T + 1000, 'second one', { level: 'warn' }],
      [T + 2000, 'third', { level: 'error', status: 503 }],
    ]);
    expect(found.hits[0]?.row.id).toBe(result.firstId);
    expect(found.hits[2]?.row.id).toBe(result.lastId);
  });

  it('strict mode leaves the store untouched when a line is bad', async () => {
    const set = indexSet(2);
    const before = await store.maxId();
    const result = await ingest(store, set, Readable.from([lines]), { format: 'logfmt', timeZone: 'Asia/Shanghai', rejectOnBadLines: true });
    expect(result).toMatchObject({ accepted: 0, rejected: 1, notWritten: 3, firstId: null });
    expect(await store.count(set, all)).toBe(0);
    expect(await store.maxId()).toBe(before);
  });
});
