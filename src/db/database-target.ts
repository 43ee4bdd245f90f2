/**
 * Where logsift keeps its state: one SQLite file (embedded default) or a PostgreSQL database.
 * Every store and queue is built from one of these.
 */
export type DatabaseTarget =
  | { kind: 'sqlite'; /** Path of the SQLite file, or ':memory:'. */ file: string }
  | { kind: 'postgres'; url: string; /** Pool size per process. */ poolSize?: number };

export type DialectKind = DatabaseTarget['kind'];
