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

/**
 * Executes one read, returning first columns only: of the first row (`value`, null when there
 * is no row), or of every row, each a JSON text, joined into JSON arrays of up to `chunk` rows
 * (`jsonArrays`). Joining here, off the main thread, means the main thread receives a few long
 * strings (cheap to copy between threads) and only has to JSON.parse them.
 */
export function executeRead(db, op) {
  const stmt = prepare(db, op.sql);
  if (op.mode === 'value') return stmt.get(...op.params) ?? null;
  const rows = stmt.all(...op.params);
  const out = [];
  for (let i = 0; i < rows.length; i += op.chunk) out.push(`[${rows.slice(i, i + op.chunk).join(',')}]`);
  return out;
}
