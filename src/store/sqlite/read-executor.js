// Plain JavaScript on purpose: it runs inside worker threads, which neither tsx (bin/logsift.js)
// nor vitest transform. It only executes SQL compiled on the main thread.

/** @type {WeakMap<object, Map<string, any>>} */
const statements = new WeakMap();

function prepare(db, sql, mode) {
  let cache = statements.get(db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(db, cache);
  }
  const key = `${mode}\u0000${sql}`;
  let stmt = cache.get(key);
  if (stmt === undefined) {
    stmt = db.prepare(sql);
    if (mode === 'value') stmt.pluck(true);
    if (cache.size > 200) cache.clear();
    cache.set(key, stmt);
  }
  return stmt;
}

/**
 * Executes one read. `rows` returns log rows with `fields` already parsed (parsing here keeps
 * that CPU work off the main thread); `value` returns the first column of the first row.
 */
export function executeRead(db, op) {
  if (op.kind === 'value') return prepare(db, op.sql, 'value').get(...op.params) ?? null;
  const rows = prepare(db, op.sql, 'rows').all(...op.params);
  for (const r of rows) r.fields = JSON.parse(r.fields);
  return rows;
}
