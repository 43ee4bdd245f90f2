/**
 * A worker PROCESS is SIGKILLed in the middle of a 200k-row export on the embedded store; a second
 * worker process resumes it (see src/export/testing/export-crash-kit.ts). PostgreSQL: export-crash-pg.test.ts.
 */
import { describeCrash } from '../src/export/testing/export-crash-kit.ts';

describeCrash('sqlite');
