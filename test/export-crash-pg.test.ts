/** The export crash test (see export-crash.test.ts) on PostgreSQL. */
import { describeCrash } from '../src/export/testing/export-crash-kit.ts';

describeCrash('postgres');
