import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase } from '../../../test/support/pg-database.ts';
import { describeLogStoreConformance } from '../log-store.conformance.ts';
import { PostgresLogStore } from './postgres-log-store.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase('store');
});
afterAll(async () => {
  await database?.drop();
});

describeLogStoreConformance('postgres', () => PostgresLogStore.open(database.url));
