// Plain JavaScript on purpose: it runs inside worker threads, which neither tsx (bin/logsift.js)
// nor vitest transform. It only executes SQL compiled on the main thread.

/** @type {WeakMap<object, Map<string, any>>} */
const statements = new WeakMap();

function prepare(db, sql) {
  let cache = statements.get(db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(db, cache);
  }
  const key = sql;
  let stmt = cache.get(key);
  if (stmt === undefined) {
    stmt = db.prepare(sql);
    stmt.pluck(true);
    if (cache.size > 200) cache.clear();
    cache.set(key, stmt);
  }
  return stmt;
}

/** Executes one read: the first column of the first row (null when there is no row). */
export function executeRead(db, op) {
  return prepare(db, op.sql).get(...op.params) ?? null;
}
