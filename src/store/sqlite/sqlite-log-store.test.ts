import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeLogStoreConformance } from '../log-store.conformance.ts';
import { SqliteLogStore } from './sqlite-log-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'logsift-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A real file: reads go through the worker threads, as in production.
describeLogStoreConformance('sqlite file', () => SqliteLogStore.open(join(dir, 'logs.sqlite')));
