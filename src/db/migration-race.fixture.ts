// Child process of run-migrations.test.ts: migrates a shared SQLite file, prints the tables it sees.
import { sql } from 'kysely';
import { createKysely } from './create-kysely.ts';
import { runMigrations } from './run-migrations.ts';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: migration-race.fixture.ts FILE');
const db = createKysely<unknown>({ kind: 'sqlite', file });
await runMigrations(db, 'sqlite', 'probe', {
  '0001_a': { up: async (d) => void (await d.schema.createTable('probe_a').addColumn('id', 'integer').execute()) },
  '0002_b': { up: async (d) => void (await d.schema.createTable('probe_b').addColumn('id', 'integer').execute()) },
});
const rows = await sql<{ name: string }>`select name from sqlite_master where name like 'probe_%' order by name`.execute(db);
process.stdout.write(JSON.stringify(rows.rows.map((r) => r.name)));
await db.destroy();
