import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import type { ErrorCode } from '../shared/error-codes.ts';
import type { IndexSet } from './index-set.ts';
import type { LogRow, NewLogRow } from './log-row.ts';
import { STREAM_PAGE_CHARS } from './query/run-plan.ts';
import type { LogStore } from './log-store.ts';
import type { FieldFilter, SearchRequest, SortOrder } from './search-request.ts';

/**
 * The one behavioural contract of a LogStore, run against every implementation. Every
 * expectation is computed here from the rows this suite inserted, by plain JS predicates that
 * spell out the documented query semantics — never from the store's own output.
 */

type Fields = LogRow['fields'];
type Pred = (r: LogRow) => boolean;

function makeSet(id: number): IndexSet {
  return {
    id, name: `set-${id}`, bkBizId: 7, timeField: 'dtEventTimeStamp', messageField: 'log',
    fields: [
      { name: 'level', type: 'keyword' }, { name: 'host', type: 'keyword' }, { name: 'code', type: 'keyword' },
      { name: 'status', type: 'long' }, { name: 'latency', type: 'double' }, { name: 'ok', type: 'boolean' },
      { name: 'path', type: 'text' },
    ],
    sortFields: [], retentionDays: 30, desensitizeRules: [], createdAt: '2026-01-01T00:00:00Z', createdBy: 'test',
  };
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE = Date.UTC(2026, 8, 1); // three months: Sep–Nov 2026, so PostgreSQL needs several partitions
const HOUR = 3_600_000;

const MESSAGES: Array<(n: number) => string> = [
  (n) => `GET /api/users/${n} took ${n % 97}ms`,
  (n) => `connection timeout after ${n % 30}s`,
  (n) => `request time out on host web-0${n % 5}`,
  (n) => `disk usage at ${n % 100}% on /dev/sda${n % 3}`,
  (n) => `user_name changed to U${n}`,
  (n) => `path C:\\temp\\file${n}.log`,
  () => `Failed login for 'admin'`,
  (n) => `ERROR Timeout in Worker ${n}`,
  (n) => `plain message number ${n} status 500`,
];

function generate(seed: number, count: number): NewLogRow[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const rows: NewLogRow[] = [];
  for (let i = 0; i < count; i++) {
    const fields: Fields = {};
    if (rnd() > 0.1) fields.level = pick(['info', 'warn', 'error', 'debug']);
    fields.host = pick(['web-01', 'web-02', 'web-03', 'web-11', 'web-12']);
    if (rnd() > 0.15) fields.status = pick([200, 201, 404, 500, 503]);
    fields.latency = Math.round(rnd() * 20_000) / 100;
    if (rnd() > 0.2) fields.ok = rnd() > 0.5;
    fields.path = `/api/${pick(['users', 'orders', 'user_prefs'])}/${i % 13}`;
    fields.code = pick(['E_TIMEOUT', 'EXTIMEOUT', 'E%1', 'OK']);
    // ~400 distinct timestamps for 800 rows: ties exercise the id tiebreaker.
    rows.push({ ts: BASE + Math.floor(rnd() * 400) * 5 * HOUR, message: (MESSAGES[i % MESSAGES.length] as (n: number) => string)(i), fields });
  }
  rows.push({ ts: BASE + 7 * HOUR, message: `form input was x'; DROP TABLE logs; -- by mallory`, fields: { host: 'web-01', code: 'OK' } });
  return rows;
}

const ci = (s: unknown): string => String(s).toLowerCase();
const has = (needle: string): Pred => (r) => ci(r.message).includes(ci(needle));
const f = (name: string) => (r: LogRow) => r.fields[name];
const wild = (pattern: string, anchored: boolean): RegExp => {
  const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(anchored ? `^${body}$` : body, 'is');
};
const num = (name: string, test: (n: number) => boolean): Pred => (r) => typeof r.fields[name] === 'number' && test(r.fields[name] as number);

const NOTHING: Pred = () => false;

type Key = [field: string, order: SortOrder];

function sortValue(set: IndexSet, r: LogRow, field: string): string | number | boolean | null {
  if (field === set.timeField) return r.ts;
  if (field === set.messageField) return r.message;
  return r.fields[field] ?? null;
}

/** The documented order: NULL is the largest value; ties broken by id in the last key's direction. */
function referenceSort(set: IndexSet, rows: LogRow[], keys: Key[]): LogRow[] {
  const effective: Key[] = keys.length === 0 ? [[set.timeField, 'desc']] : keys;
  const idOrder = (effective[effective.length - 1] as Key)[1];
  const cmp = (a: unknown, b: unknown): number => {
    if (a === b) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    return (a as number) < (b as number) ? -1 : 1;
  };
  return [...rows].sort((x, y) => {
    for (const [field, order] of effective) {
      const c = cmp(sortValue(set, x, field), sortValue(set, y, field));
      if (c !== 0) return order === 'asc' ? c : -c;
    }
    const c = BigInt(x.id) < BigInt(y.id) ? -1 : 1;
    return idOrder === 'asc' ? c : -c;
  });
}

async function expectCode(p: Promise<unknown> | (() => unknown), code: ErrorCode, field?: string): Promise<void> {
  let error: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    error = err;
  }
  expect(isAppError(error, code), `expected AppError ${code}, got ${String(error)}`).toBe(true);
  if (field !== undefined) expect((error as { details?: Record<string, unknown> }).details?.field).toBe(field);
}

export function describeLogStoreConformance(name: string, makeStore: () => Promise<LogStore>): void {
  describe(`LogStore conformance: ${name}`, () => {
    const A = makeSet(1);
    const B = makeSet(2);
    const C = makeSet(3);
    let store: LogStore;
    const rowsA: LogRow[] = [];
    const rowsB: LogRow[] = [];
    const batches: Array<{ firstId: string; lastId: string; size: number }> = [];
    const range = { startTime: BASE - HOUR, endTime: BASE + 2001 * 5 * HOUR };

    async function load(set: IndexSet, rows: NewLogRow[], into: LogRow[]): Promise<void> {
      const ids = await store.append(set, rows);
      if (ids === null) throw new Error('append returned null for a non-empty batch');
      batches.push({ ...ids, size: rows.length });
      rows.forEach((r, i) => {
        into.push({ id: String(BigInt(ids.firstId) + BigInt(i)), indexSetId: set.id, ts: r.ts, ingestedAt: 0, message: r.message, fields: r.fields });
      });
    }

    /** Every matching row via stream, in store order. */
    async function all(set: IndexSet, req: Partial<SearchRequest>, pageSize = 97): Promise<LogRow[]> {
      const out: LogRow[] = [];
      for await (const page of store.stream(set, { ...range, ...req }, { pageSize })) out.push(...page.map((h) => h.row));
      return out;
    }

    const ids = (rows: LogRow[]): string[] => rows.map((r) => r.id);
    const expected = (pred: Pred, keys: Key[] = [], rows = rowsA, set = A): string[] =>
      ids(referenceSort(set, rows.filter((r) => r.ts >= range.startTime && r.ts <= range.endTime && pred(r)), keys));

    beforeAll(async () => {
      store = await makeStore();
      const data = generate(42, 800);
      for (let i = 0; i < data.length; i += 200) await load(A, data.slice(i, i + 200), rowsA);
      await load(B, generate(7, 150), rowsB);
    });
    afterAll(async () => {
      await store?.close();
    });

    it('assigns contiguous, strictly increasing ids and reports the max id', async () => {
      let prev = 0n;
      for (const b of batches) {
        const first = BigInt(b.firstId);
        const last = BigInt(b.lastId);
        expect(first).toBeGreaterThan(prev);
        expect(last - first + 1n).toBe(BigInt(b.size));
        prev = last;
      }
      expect(await store.maxId()).toBe(String(prev));
      const stored = await all(A, { sortList: [['id', 'asc']] });
      expect(ids(stored)).toEqual(rowsA.map((r) => r.id));
      expect(stored.map((r) => r.message)).toEqual(rowsA.map((r) => r.message));
      expect(stored[5]?.fields).toEqual(rowsA[5]?.fields);
      expect(stored.every((r) => r.indexSetId === A.id && r.ingestedAt > 0)).toBe(true);
    });

    it('filters by time range, inclusive at both ends', async () => {
      const t0 = rowsA[10]?.ts as number;
      const t1 = rowsA[20]?.ts as number;
      const [lo, hi] = t0 < t1 ? [t0, t1] : [t1, t0];
      const got = await all(A, { startTime: lo, endTime: hi });
      expect(ids(got)).toEqual(ids(referenceSort(A, rowsA.filter((r) => r.ts >= lo && r.ts <= hi), [])));
      expect(got.length).toBeGreaterThan(0);
      expect(await store.count(A, { startTime: -1e20, endTime: 1e20 })).toBe(rowsA.length);
    });

    const QUERIES: Array<[string, Pred]> = [
      ['timeout', has('timeout')],
      ['TIMEOUT', has('timeout')],
      ['"time out"', has('time out')],
      ['time*out', (r) => wild('time*out', false).test(r.message)],
      ['level:error', (r) => f('level')(r) === 'error'],
      ['level:error AND timeout', (r) => f('level')(r) === 'error' && has('timeout')(r)],
      ['level:error OR level:warn', (r) => ['error', 'warn'].includes(f('level')(r) as string)],
      ['NOT level:info', (r) => f('level')(r) !== 'info'],
      ['-level:info', (r) => f('level')(r) !== 'info'],
      ['(level:error OR level:warn) AND NOT host:web-01', (r) => ['error', 'warn'].includes(f('level')(r) as string) && f('host')(r) !== 'web-01'],
      ['host:web-0?', (r) => /^web-0.$/.test(String(f('host')(r)))],
      ['host:*1', (r) => String(f('host')(r)).endsWith('1')],
      ['code:E_TIMEOUT', (r) => f('code')(r) === 'E_TIMEOUT'],
      ['code:E_T*', (r) => String(f('code')(r)).startsWith('E_T')],
      ['code:"E%1"', (r) => f('code')(r) === 'E%1'],
      ['"%"', has('%')],
      ['"_"', has('_')],
      ['"\\\\temp"', has('\\temp')],
      ['status:500', (r) => f('status')(r) === 500],
      ['status:>=500', num('status', (n) => n >= 500)],
      ['status:<300', num('status', (n) => n < 300)],
      ['status:[201 TO 500]', num('status', (n) => n >= 201 && n <= 500)],
      ['status:{201 TO 500}', num('status', (n) => n > 201 && n < 500)],
      ['status:null', (r) => f('status')(r) === undefined],
      ['latency:>100.5', num('latency', (n) => n > 100.5)],
      ['ok:true', (r) => f('ok')(r) === true],
      ['path:user', (r) => ci(f('path')(r)).includes('user')],
      ['500', has('500')],
      [`dtEventTimeStamp:>=${BASE + 1000 * HOUR}`, (r) => r.ts >= BASE + 1000 * HOUR],
      ['log:worker', has('worker')],
      ['*', () => true],
      ['', () => true],
      ["'; DROP TABLE logs; --", (r) => ["';", 'drop', 'table', 'logs;', '--'].every((w) => ci(r.message).includes(w))],
      [`level:"error' OR '1'='1"`, NOTHING],
    ];
    for (const [query, pred] of QUERIES) {
      it(`query ${JSON.stringify(query)}`, async () => {
        const want = expected(pred);
        // A case that expects nothing proves little unless that is the point of the case.
        if (pred !== NOTHING) expect(want.length).toBeGreaterThan(0);
        expect(ids(await all(A, { query }))).toEqual(want);
      });
    }

    const FILTERS: Array<[FieldFilter, Pred]> = [
      [{ field: 'level', operator: 'is', value: 'error' }, (r) => f('level')(r) === 'error'],
      [{ field: 'level', operator: 'is not', value: 'error' }, (r) => f('level')(r) !== 'error'],
      [{ field: 'level', operator: 'is one of', value: ['error', 'warn'] }, (r) => ['error', 'warn'].includes(f('level')(r) as string)],
      [{ field: 'host', operator: 'is', value: ['web-01', 'web-12'] }, (r) => ['web-01', 'web-12'].includes(f('host')(r) as string)],
      [{ field: 'log', operator: 'contains', value: 'TIME' }, has('time')],
      [{ field: 'log', operator: 'not contains', value: 'time' }, (r) => !has('time')(r)],
      [{ field: 'code', operator: 'contains', value: '_' }, (r) => String(f('code')(r)).includes('_')],
      [{ field: 'status', operator: '>', value: 404 }, num('status', (n) => n > 404)],
      [{ field: 'status', operator: '<', value: 404 }, num('status', (n) => n < 404)],
      [{ field: 'status', operator: '>=', value: '404' }, num('status', (n) => n >= 404)],
      [{ field: 'status', operator: '<=', value: 404 }, num('status', (n) => n <= 404)],
      [{ field: 'latency', operator: '>=', value: 50.5 }, num('latency', (n) => n >= 50.5)],
      [{ field: 'ok', operator: 'is', value: false }, (r) => f('ok')(r) === false],
      [{ field: 'level', operator: 'is', value: "x' OR 1=1 --" }, NOTHING],
    ];
    for (const [filter, pred] of FILTERS) {
      it(`addition ${filter.field} ${filter.operator} ${JSON.stringify(filter.value)}`, async () => {
        const want = expected(pred);
        if (pred !== NOTHING) expect(want.length).toBeGreaterThan(0);
        expect(ids(await all(A, { addition: [filter] }))).toEqual(want);
      });
    }

    it('combines query and several additions', async () => {
      const got = await all(A, {
        query: 'timeout OR level:warn',
        addition: [{ field: 'status', operator: '>=', value: 500 }, { field: 'host', operator: 'is not', value: 'web-02' }],
      });
      const want = expected((r) => (has('timeout')(r) || f('level')(r) === 'warn') && num('status', (n) => n >= 500)(r) && f('host')(r) !== 'web-02');
      expect(ids(got)).toEqual(want);
      expect(want.length).toBeGreaterThan(0);
    });

    const SORTS: Key[][] = [
      [], [['dtEventTimeStamp', 'asc']], [['status', 'asc']], [['status', 'desc']],
      [['level', 'asc'], ['dtEventTimeStamp', 'desc']], [['ok', 'desc'], ['latency', 'asc']],
      [['log', 'asc']], [['host', 'desc'], ['status', 'asc'], ['dtEventTimeStamp', 'asc']],
    ];
    for (const keys of SORTS) {
      it(`keyset pages through sort ${JSON.stringify(keys)} returning every row exactly once`, async () => {
        const got: string[] = [];
        let searchAfter: SearchRequest['searchAfter'];
        for (let pages = 0; pages < 100; pages++) {
          const res = await store.search(A, { ...range, sortList: keys, size: 37, searchAfter, query: 'NOT level:debug' });
          got.push(...res.hits.map((h) => h.row.id));
          const last = res.hits[res.hits.length - 1];
          if (res.hits.length < 37 || last === undefined) break;
          searchAfter = last.sort;
        }
        const want = expected((r) => f('level')(r) !== 'debug', keys);
        expect(new Set(got).size).toBe(got.length);
        expect(got).toEqual(want);
      });
    }

    it('honours the maxId cut-off', async () => {
      const cut = await store.maxId();
      await load(C, generate(99, 30), []);
      const got = await all(A, { maxId: rowsA[300]?.id as string });
      expect(ids(got)).toEqual(expected((r) => BigInt(r.id) <= BigInt(rowsA[300]?.id as string)));
      expect(await all(C, { maxId: cut })).toEqual([]);
      expect(await all(C, {})).toHaveLength(31);
      await store.deleteRows(C.id);
    });

    it('counts totals exactly with count() and up to the cap with search()', async () => {
      const want = expected(has('timeout')).length;
      expect(await store.count(A, { ...range, query: 'timeout' })).toBe(want);
      const full = await store.search(A, { ...range, query: 'timeout', size: 5 });
      expect(full).toMatchObject({ total: want, totalIsExact: true });
      expect(full.hits.map((h) => h.row.id)).toEqual(expected(has('timeout')).slice(0, 5));
      expect(await store.search(A, { ...range, query: 'timeout', size: 1, trackTotalHits: 10 })).toMatchObject({ total: 10, totalIsExact: false });
      expect(await store.search(A, { ...range, size: 0, trackTotalHits: true })).toMatchObject({ hits: [], total: rowsA.length, totalIsExact: true });
    });

    it('streams in constant pages', async () => {
      const sizes: number[] = [];
      let n = 0;
      for await (const page of store.stream(A, { ...range, size: 3 }, { pageSize: 64 })) {
        sizes.push(page.length);
        n += page.length;
      }
      expect(n).toBe(rowsA.length);
      expect(sizes.slice(0, -1).every((s) => s === 64)).toBe(true);
      expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(64);
    });

    it('streams every row once and whole whatever the page size (pages are decoded in slices)', async () => {
      const byId = new Map(rowsA.map((r) => [r.id, r]));
      const want = expected(() => true).map((id) => {
        const r = byId.get(id)!;
        return { id, ts: r.ts, message: r.message, fields: r.fields };
      });
      for (const pageSize of [1, 250, 251, 500, 1000]) {
        const got = (await all(A, {}, pageSize)).map((r) => ({ id: r.id, ts: r.ts, message: r.message, fields: r.fields }));
        expect(got, `pageSize ${pageSize}`).toEqual(want);
      }
    });

    it('cuts streamed pages of very long lines by size, and still delivers every row once', { timeout: 120_000 }, async () => {
      const L = makeSet(9);
      // 1 MB is the ingest limit per line: a 2,000-row page of them would be 2 GB.
      const line = (i: number): string => `${i} ${'x'.repeat(1024 * 1024 - 16)}`;
      for (let i = 0; i < 300; i += 50) {
        await store.append(L, Array.from({ length: 50 }, (_, k) => ({ ts: i + k, message: line(i + k), fields: {} })));
      }
      let seen = 0;
      let largest = 0;
      for await (const hits of store.stream(L, { startTime: 0, endTime: 300, sortList: [['id', 'asc']] })) {
        largest = Math.max(largest, hits.length);
        for (const h of hits) expect(h.row.message === line(seen++)).toBe(true);
      }
      expect(seen).toBe(300);
      // Pages stop at the row that reaches STREAM_PAGE_CHARS (32 Mi, a little more than 32 of
      // these lines): about 32 rows, not 250 (a slice) or 2,000 (a page).
      expect(largest).toBeLessThanOrEqual(Math.ceil(STREAM_PAGE_CHARS / line(0).length));
      expect(largest).toBeGreaterThan(STREAM_PAGE_CHARS / line(0).length / 2);
      await store.deleteRows(L.id);
    });

    it('returns only requested fields, with a cursor of sort values then id', async () => {
      const res = await store.search(A, { ...range, fields: ['level'], sortList: [['status', 'asc']], size: 3 });
      const first = referenceSort(A, rowsA, [['status', 'asc']])[0] as LogRow;
      expect(res.hits[0]?.sort).toEqual([first.fields.status ?? null, first.id]);
      for (const h of res.hits) expect(Object.keys(h.row.fields).every((k) => k === 'level')).toBe(true);
    });

    it('rejects bad input before touching data', async () => {
      await expectCode(() => store.search(A, { ...range, query: 'nosuch:1' }), 'UNKNOWN_FIELD', 'nosuch');
      await expectCode(() => store.search(A, { ...range, query: 'level:x OR (a AND bogus:2)' }), 'UNKNOWN_FIELD', 'bogus');
      await expectCode(() => store.count(A, { ...range, addition: [{ field: 'nosuch', operator: 'is', value: 1 }] }), 'UNKNOWN_FIELD', 'nosuch');
      await expectCode(() => store.search(A, { ...range, sortList: [['nosuch', 'asc']] }), 'UNKNOWN_FIELD', 'nosuch');
      await expectCode(() => store.search(A, { startTime: 2000, endTime: 1000 }), 'BAD_TIME_RANGE');
      await expectCode(() => store.stream(A, { startTime: 2000, endTime: 1000 }), 'BAD_TIME_RANGE');
      await expectCode(() => store.search(A, { ...range, query: '(level:error' }), 'BAD_QUERY');
      await expectCode(() => store.search(A, { ...range, query: 'status:abc' }), 'BAD_QUERY', 'status');
      await expectCode(() => store.search(A, { ...range, addition: [{ field: 'status', operator: '>', value: 'abc' }] }), 'VALIDATION_FAILED', 'status');
      await expectCode(() => store.search(A, { ...range, searchAfter: [1] }), 'VALIDATION_FAILED');
      await expectCode(() => store.search(A, { ...range, size: 10_001 }), 'VALIDATION_FAILED');
      await expectCode(() => store.append(A, [{ ts: Number.NaN, message: 'x', fields: {} }]), 'VALIDATION_FAILED');
      await expectCode(() => store.deleteRows(A.id, Number.NaN), 'VALIDATION_FAILED');
      // Still all there, and still writable: nothing above ran as SQL.
      expect(await store.count(A, range)).toBe(rowsA.length);
    });

    it('stores U+0000 as U+FFFD in messages and string fields, and the rest of the batch as given', async () => {
      const E = makeSet(5);
      const ok = { ts: BASE, message: 'plain line', fields: { host: 'h1', status: 200 } };
      const ids = await store.append(E, [ok, { ts: BASE + 1, message: 'bin\u0000ary\u0000', fields: { host: 'h\u0000', status: 500 } }]);
      expect(ids).not.toBeNull();
      const got = await all(E, { sortList: [['id', 'asc']] });
      expect(got.map((r) => [r.message, r.fields.host, r.fields.status])).toEqual([
        ['plain line', 'h1', 200],
        ['bin\uFFFDary\uFFFD', 'h\uFFFD', 500],
      ]);
      expect(await store.count(E, { ...range, query: 'ary' })).toBe(1);
      await store.deleteRows(E.id);
    });

    it('keeps index sets apart', async () => {
      expect(ids(await all(B, {}))).toEqual(expected(() => true, [], rowsB, B));
      expect(await store.count(B, { ...range, query: 'timeout' })).toBe(expected(has('timeout'), [], rowsB, B).length);
    });

    it('deletes rows by age and by index set', async () => {
      const D = makeSet(4);
      const rows: LogRow[] = [];
      await load(D, generate(3, 60), rows);
      const cutoff = BASE + 1000 * HOUR;
      const older = rows.filter((r) => r.ts < cutoff).length;
      expect(older).toBeGreaterThan(0);
      expect(await store.deleteRows(D.id, cutoff)).toBe(older);
      expect(ids(await all(D, {}))).toEqual(expected((r) => r.ts >= cutoff, [], rows, D));
      expect(await store.deleteRows(D.id)).toBe(rows.length - older);
      expect(await all(D, {})).toEqual([]);
      expect(await store.count(A, range)).toBe(rowsA.length);
      expect(await store.append(D, [])).toBeNull();
    });
  });
}
