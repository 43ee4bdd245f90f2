import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/app-error.ts';
import type { IndexSet } from '../index-set.ts';
import type { StoreDb } from '../schema/store-db.ts';
import type { SearchRequest } from '../search-request.ts';
import { SearchPlan } from './search-plan.ts';
import { SQL_DIALECTS } from './sql-dialect.ts';

const SET: IndexSet = {
  id: 9, name: 's', bkBizId: 1, timeField: 'dtEventTimeStamp', messageField: 'log',
  fields: [{ name: 'level', type: 'keyword' }, { name: 'status', type: 'long' }],
  sortFields: [], retentionDays: 1, desensitizeRules: [], createdAt: '', createdBy: '',
};

// Compile-only Kysely instances: nothing here touches a database.
const compilers = {
  sqlite: new Kysely<StoreDb>({ dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() } }),
  postgres: new Kysely<StoreDb>({ dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() } }),
} as const;

const base: SearchRequest = { startTime: 0, endTime: 10 };

for (const dialect of ['sqlite', 'postgres'] as const) {
  const plan = (req: Partial<SearchRequest>): SearchPlan => new SearchPlan(SQL_DIALECTS[dialect], compilers[dialect], SET, { ...base, ...req });

  describe(`query compilation (${dialect})`, () => {
    it('never puts user text into the SQL, only into parameters', () => {
      const evil = ["'; DROP TABLE logs; --", `level:"x' OR '1'='1"`, 'robert OR 1=1 --', '"a\\"b" AND status:>5'];
      for (const query of evil) {
        const q = plan({ query }).page(undefined, 10);
        expect(q.sql).not.toMatch(/DROP|'1'='1'|robert|a"b/i);
        expect(q.parameters.length).toBeGreaterThan(4);
      }
      const f = plan({ addition: [{ field: 'level', operator: 'is one of', value: ["a'); DELETE FROM logs; --", 'b'] }] }).page(undefined, 10);
      expect(f.sql).not.toMatch(/DELETE/);
      expect(f.parameters).toContain("a'); DELETE FROM logs; --");
    });

    it('escapes LIKE wildcards typed by the user and maps Lucene wildcards', () => {
      expect(plan({ query: '"50%_off"' }).page(undefined, 1).parameters).toContain('%50\\%\\_off%');
      const backslash = plan({ addition: [{ field: 'log', operator: 'contains', value: 'C:\\tmp_' }] }).page(undefined, 1);
      expect(backslash.parameters).toContain('%C:\\\\tmp\\_%');
      expect(plan({ query: 'ti*e?x' }).page(undefined, 1).parameters).toContain('%ti%e_x%');
      expect(plan({ query: 'level:e_r*' }).page(undefined, 1).parameters).toContain('e\\_r%');
    });

    it('treats bare punctuation liqe rejects as search text, but rejects real syntax errors', () => {
      expect(plan({ query: 'user_id=5 AND level:error' }).page(undefined, 1).parameters).toContain('%user\\_id=5%');
      for (const query of ['(level:error', 'level:error AND', '"open', 'level:', '/regex/', 'a:b:c']) {
        let err: unknown;
        try {
          plan({ query });
        } catch (e) {
          err = e;
        }
        expect(isAppError(err, 'BAD_QUERY'), query).toBe(true);
      }
    });

    it('names the unknown field, wherever it appears', () => {
      const cases: Array<Partial<SearchRequest>> = [
        { query: 'level:x AND (nope:1 OR a)' },
        { addition: [{ field: 'nope', operator: 'contains', value: 'x' }] },
        { sortList: [['nope', 'desc']] },
        { fields: ['nope'] },
      ];
      for (const req of cases) {
        let err: unknown;
        try {
          plan(req);
        } catch (e) {
          err = e;
        }
        expect(isAppError(err, 'UNKNOWN_FIELD')).toBe(true);
        expect((err as { details: { field: string } }).details.field).toBe('nope');
      }
    });

    it('appends the id as tiebreaker and uses one row-value comparison for the default sort', () => {
      const p = plan({ searchAfter: [5, '17'] });
      expect(p.keys.map((k) => [k.field.name, k.order])).toEqual([['dtEventTimeStamp', 'desc'], ['id', 'desc']]);
      expect(p.page(p.cursor, 10).sql).toMatch(/\(\("ts", "id"\) < \(/);
    });
  });
}
