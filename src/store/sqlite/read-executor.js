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
 * (`jsonArrays`) and returned as one UTF-8 buffer with the end offset of each array. With
 * `maxChars`, the page stops after the row that reaches that many characters of JSON (`cut`), so
 * a page of very long lines stays bounded in memory.
 *
 * Why a buffer: it is transferred to the main thread without a copy, and the main thread turns one
 * array at a time into a string right before parsing it. Strings posted from a worker are copied
 * into the receiving heap, and V8 allocates everything of a message over 100 KB straight in the
 * old generation; at hundreds of thousands of rows a second that old generation grew by about
 * 100 MB a second between collections.
 */
export function executeRead(db, op) {
  const stmt = prepare(db, op.sql);
  if (op.mode === 'value') return stmt.get(...op.params) ?? null;
  const arrays = [];
  let chunk = [];
  let length = 0;
  let cut = false;
  for (const row of stmt.iterate(...op.params)) {
    chunk.push(row);
    length += row.length;
    if (chunk.length === op.chunk) {
      arrays.push(`[${chunk.join(',')}]`);
      chunk = [];
    }
    // Leaving the loop resets the statement; the caller continues after the last row returned.
    if (op.maxChars !== undefined && length >= op.maxChars) {
      cut = true;
      break;
    }
  }
  if (chunk.length > 0) arrays.push(`[${chunk.join(',')}]`);
  let bytes = 0;
  for (const a of arrays) bytes += Buffer.byteLength(a);
  // Not from Buffer's shared pool: the whole ArrayBuffer is handed over.
  const text = Buffer.allocUnsafeSlow(bytes);
  const ends = [];
  let at = 0;
  for (const a of arrays) {
    at += text.write(a, at, 'utf8');
    ends.push(at);
  }
  return { text, ends, cut };
}

/** The buffers of a result that can be transferred instead of copied. */
export function transferablesOf(result) {
  return result !== null && typeof result === 'object' && result.text instanceof Uint8Array ? [result.text.buffer] : [];
}
