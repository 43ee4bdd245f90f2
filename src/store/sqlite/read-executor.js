// Plain JavaScript on purpose: it runs inside worker threads, which neither tsx (bin/logsift.js)
// nor vitest transform. It only executes SQL compiled on the main thread.

/**
 * Name of the SQL function that caps a page's size: `WHERE logsift_page_budget(bytes of the row)`
 * lets rows through until the ones before reach `maxChars` bytes (see executeRead).
 */
export const PAGE_BUDGET_FUNCTION = 'logsift_page_budget';

/**
 * A `rows` result separates rows with three newlines (JSON text never holds a raw newline: it
 * escapes control characters). Three bytes, so each separator can be rewritten in place to `,  `
 * inside a JSON array or `]\n[` between two.
 */
const NEWLINE = 10;
const SEPARATOR_BYTES = 3;
const COMMA = 44;
const SPACE = 32;
const OPEN = 91;
const CLOSE = 93;

/** @type {WeakMap<object, Map<string, any>>} */
const statements = new WeakMap();

/**
 * The page budget of the query running now (one at a time per connection: better-sqlite3 is
 * synchronous). `used` counts the bytes of rows already let through.
 */
const budget = { max: Number.POSITIVE_INFINITY, used: 0, cut: false };

function prepare(db, sql) {
  let cache = statements.get(db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(db, cache);
    // Lets a row through while the rows before it stay under the budget: the first row always passes.
    db.function(PAGE_BUDGET_FUNCTION, { deterministic: false, directOnly: true }, (bytes) => {
      if (budget.used >= budget.max) {
        budget.cut = true;
        return 0;
      }
      budget.used += Number(bytes);
      return 1;
    });
  }
  let stmt = cache.get(sql);
  if (stmt === undefined) {
    stmt = db.prepare(sql);
    stmt.pluck(true);
    if (cache.size > 200) cache.clear();
    cache.set(sql, stmt);
  }
  return stmt;
}

/**
 * Executes one read.
 *
 * - `value`: the first column of the first row (null when there is no row).
 * - `rows`: the query returns one BLOB: `[`, its rows' JSON texts joined by three newlines, `]`
 *   (SQLite builds it in C: measured at under half the cost of returning each row as a JS string
 *   and joining them here). The result cuts it in place into JSON arrays of `chunk` rows (see
 *   SEPARATOR_BYTES): array `i` runs from just after `ends[i - 1]` (or 0) to `ends[i]`;
 *   `lastStart` is where the last row begins, so the caller can read it alone. With `maxChars`,
 *   the query's {@link PAGE_BUDGET_FUNCTION} stops letting rows through after the row that
 *   reaches that many bytes (`cut`), so a page of very long lines stays bounded in memory.
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
  budget.max = op.maxChars ?? Number.POSITIVE_INFINITY;
  budget.used = 0;
  budget.cut = false;
  const blob = stmt.get(...op.params);
  const cut = budget.cut;
  if (blob === null || blob === undefined) return { text: new Uint8Array(0), ends: [], rows: 0, lastStart: 0, cut };
  // Transferring hands over the whole ArrayBuffer: never one shared with other Buffers.
  let text = blob;
  if (blob.byteOffset !== 0 || blob.buffer.byteLength !== blob.length) {
    text = Buffer.allocUnsafeSlow(blob.length);
    blob.copy(text);
  }
  const ends = [];
  let rows = 1;
  let lastStart = 1;
  for (let at = text.indexOf(NEWLINE); at >= 0; at = text.indexOf(NEWLINE, at + SEPARATOR_BYTES)) {
    if (rows++ % op.chunk === 0) {
      text[at] = CLOSE;
      text[at + 2] = OPEN;
      ends.push(at + 1);
    } else {
      text[at] = COMMA;
      text[at + 1] = SPACE;
      text[at + 2] = SPACE;
    }
    lastStart = at + SEPARATOR_BYTES;
  }
  ends.push(text.length);
  return { text, ends, rows, lastStart, cut };
}

/** The buffers of a result that can be transferred instead of copied. */
export function transferablesOf(result) {
  return result !== null && typeof result === 'object' && result.text instanceof Uint8Array && result.text.byteLength > 0 ? [result.text.buffer] : [];
}
