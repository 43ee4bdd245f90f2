import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/pg-database.ts';
import type { IndexSet } from '../index-set.ts';
import { describeLogStoreConformance } from '../log-store.conformance.ts';
import { createKysely } from '../../db/create-kysely.ts';
import { runMigrations } from '../../db/run-migrations.ts';
import { STORE_MIGRATIONS } from '../schema/store-migrations.ts';
import { PostgresLogStore } from './postgres-log-store.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase('store');
});
afterAll(async () => {
  await database?.drop();
});

describeLogStoreConformance('postgres', () => PostgresLogStore.open(database.url));

describe('PostgresLogStore concurrent appenders', () => {
  const set: IndexSet = {
    id: 50, name: 'c', bkBizId: 1, timeField: 'ts', messageField: 'log', fields: [], sortFields: [],
    retentionDays: 1, desensitizeRules: [], createdAt: '', createdBy: '',
  };

  it('creates partitions and allocates ids without races across store instances', async () => {
    // Separate instances stand in for separate processes: no shared partition cache.
    const stores = await Promise.all([1, 2, 3].map(() => PostgresLogStore.open(database.url)));
    try {
      // Every batch spans months no partition exists for yet (years 2031–2032).
      const batches = Array.from({ length: 12 }, (_, b) => Array.from({ length: 40 }, (_, i) => ({
        ts: Date.UTC(2031, (b + i) % 18, 1 + (i % 27)), message: `b${b} r${i}`, fields: {},
      })));
      const results = await Promise.all(batches.map((rows, b) => (stores[b % 3] as PostgresLogStore).append(set, rows)));
      const ranges = results.map((r) => [BigInt(r?.firstId ?? -1), BigInt(r?.lastId ?? -1)] as const).sort((x, y) => (x[0] < y[0] ? -1 : 1));
      for (const [first, last] of ranges) expect(last - first).toBe(39n);
      for (let i = 1; i < ranges.length; i++) expect((ranges[i] as readonly bigint[])[0]).toBe((ranges[i - 1] as readonly bigint[])[1] as bigint + 1n);
      const all = (stores[0] as PostgresLogStore);
      expect(await all.count(set, { startTime: Date.UTC(2031, 0, 1), endTime: Date.UTC(2033, 0, 1) })).toBe(480);
      // Each batch is stored under its own id range, in order.
      const rows: string[] = [];
      for await (const page of all.stream(set, { startTime: 0, endTime: Date.UTC(2033, 0, 1), sortList: [['id', 'asc']] })) rows.push(...page.map((h) => h.row.message));
      const byBatch = results.map((r, b) => ({ first: BigInt(r?.firstId ?? 0), b })).sort((x, y) => (x.first < y.first ? -1 : 1));
      expect(rows).toEqual(byBatch.flatMap(({ b }) => (batches[b] ?? []).map((r) => r.message)));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});

describe('PostgresLogStore partitions', () => {
  it('recreates a partition dropped behind its back', async () => {
    const set: IndexSet = {
      id: 51, name: 'p', bkBizId: 1, timeField: 'ts', messageField: 'log', fields: [], sortFields: [],
      retentionDays: 1, desensitizeRules: [], createdAt: '', createdBy: '',
    };
    const store = await PostgresLogStore.open(database.url);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const ts = Date.UTC(2035, 4, 3);
      await store.append(set, [{ ts, message: 'first', fields: {} }]);
      await admin.query('DROP TABLE logs_p2035_05');
      expect(await store.append(set, [{ ts, message: 'second', fields: {} }])).not.toBeNull();
      expect(await store.count(set, { startTime: ts, endTime: ts })).toBe(1);
    } finally {
      await admin.end();
      await store.close();
    }
  });
});

describe('PostgresLogStore row sizes', () => {
  it('backfills the largest row of each index set stored before the sizes table existed, and raises it on append', async () => {
    const own = await createTestDatabase('sizes');
    const db = createKysely<unknown>({ kind: 'postgres', url: own.url });
    const set = (id: number): IndexSet => ({
      id, name: `s${id}`, bkBizId: 1, timeField: 'ts', messageField: 'log', fields: [], sortFields: [],
      retentionDays: 1, desensitizeRules: [], createdAt: '', createdBy: '',
    });
    let store: PostgresLogStore | undefined;
    try {
      await runMigrations(db, 'postgres', 'store', { '0001_initial': STORE_MIGRATIONS['0001_initial']! });
      // Rows from before 0002, in a catch-all partition (the appender creates monthly ones).
      await sql`CREATE TABLE logs_p_default PARTITION OF logs DEFAULT`.execute(db);
      await sql`INSERT INTO logs VALUES (1, 7, 0, 0, ${'x'.repeat(5000)}, '{"a": 1}'), (2, 7, 1, 0, 'short', '{}'), (3, 8, 2, 0, 'tiny', '{}')`.execute(db);
      store = await PostgresLogStore.open(own.url);
      const sizes = async (): Promise<Record<number, number>> => Object.fromEntries(
        (await sql<{ index_set_id: number; max_row_bytes: string }>`SELECT * FROM log_set_sizes`.execute(db)).rows.map((r) => [r.index_set_id, Number(r.max_row_bytes)]),
      );
      expect(await sizes()).toEqual({ 7: 5000 + '{"a": 1}'.length, 8: 'tiny'.length + 2 });
      await store.append(set(8), [{ ts: Date.UTC(2030, 0, 1), message: 'é'.repeat(100), fields: { k: 'v' } }]);
      await store.append(set(7), [{ ts: Date.UTC(2030, 0, 1), message: 'small', fields: {} }]);
      expect(await sizes()).toEqual({ 7: 5000 + '{"a": 1}'.length, 8: 200 + JSON.stringify({ k: 'v' }).length });
    } finally {
      await store?.close();
      await db.destroy();
      await own.drop();
    }
  });
});
