import type { Kysely } from 'kysely';
import { createTestDatabase } from '../../../test/support/pg-database.ts';
import { createKysely } from '../../db/create-kysely.ts';
import type { DialectKind } from '../../db/database-target.ts';

/** Both dialects, for `describe.each` in repository conformance tests. */
export const TEST_DIALECTS: readonly DialectKind[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  db: Kysely<unknown>;
  dialect: DialectKind;
  close(): Promise<void>;
}

/**
 * A fresh, empty database of the given dialect: an in-memory SQLite database, or a new database
 * on the test run's PostgreSQL cluster (dropped by `close`). Test-only: uses vitest's `inject`.
 */
export async function openTestDatabase(dialect: DialectKind): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const db = createKysely<unknown>({ kind: 'sqlite', file: ':memory:' });
    return { db, dialect, close: () => db.destroy() };
  }
  const pg = await createTestDatabase('meta');
  const db = createKysely<unknown>({ kind: 'postgres', url: pg.url, poolSize: 4 });
  return {
    db,
    dialect,
    async close() {
      await db.destroy();
      await pg.drop();
    },
  };
}
