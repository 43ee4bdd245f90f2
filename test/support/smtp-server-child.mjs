// Child process of test/support/smtp-server.ts: a real SMTP server (the `smtp-server` package) on
// 127.0.0.1 that accepts every mail and writes it, raw, to <directory>/<n>.eml with its envelope
// in <n>.json (written before the .eml is renamed into place, so a visible .eml is complete).
// Recipients whose local part starts with "reject" are refused with 550, to test failures.
// IPC: -> { type: 'ready', port }. Plain JavaScript so it starts without a loader on Node 20 and 24.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

const [directory, portArg] = process.argv.slice(2);
let seq = 0;

const server = new SMTPServer({
  secure: false,
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  logger: false,
  onRcptTo(address, _session, callback) {
    if (address.address.toLowerCase().startsWith('reject')) {
      const err = new Error(`mailbox ${address.address} unavailable`);
      err.responseCode = 550;
      callback(err);
      return;
    }
    callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('error', callback);
    stream.on('end', () => {
      const n = String(++seq).padStart(5, '0');
      const envelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        to: session.envelope.rcptTo.map((r) => r.address),
      };
      writeFileSync(join(directory, `${n}.json`), JSON.stringify(envelope));
      writeFileSync(join(directory, `${n}.eml.part`), Buffer.concat(chunks));
      renameSync(join(directory, `${n}.eml.part`), join(directory, `${n}.eml`));
      callback(null, `queued as ${n}`);
    });
  },
});

server.on('error', (err) => {
  process.stderr.write(`smtp test server: ${err.message}\n`);
});
server.listen(Number(portArg), '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.server.address().port });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
