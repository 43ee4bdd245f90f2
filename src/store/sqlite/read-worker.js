// Worker thread: one read-only connection, answering { id, op } messages in order.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { executeRead, transferablesOf } from './read-executor.js';

const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');

parentPort.on('message', (msg) => {
  if (msg.op === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const result = executeRead(db, msg.op);
    parentPort.postMessage({ id: msg.id, ok: true, result }, transferablesOf(result));
  } catch (err) {
    parentPort.postMessage({ id: msg.id, ok: false, error: { message: String(err?.message ?? err), code: err?.code } });
  }
});
