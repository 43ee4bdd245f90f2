import { afterAll, beforeAll, describe } from 'vitest';
import { parseReceivedMail, startSmtpServer, type SmtpServer } from '../../test/support/smtp-server.ts';
import { createNotifier } from './create-notifier.ts';
import type { LoggedMail } from './log/log-notifier.ts';
import { notifierConformance, type NotifierHarness } from './notifier.conformance.ts';
import type { Notifier, NotifierKind } from './notifier.ts';

interface Backend extends NotifierHarness {
  start(): Promise<void>;
  stop(): Promise<void>;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} not started`);
  return value;
}

function smtpBackend(): Backend {
  let server: SmtpServer | undefined;
  let notifier: Notifier | undefined;
  return {
    async start() {
      server = await startSmtpServer();
      notifier = await createNotifier({ kind: 'smtp', options: { url: server.url, from: 'logsift <logsift@example.com>' } });
    },
    async stop() {
      await notifier?.close();
      await server?.stop();
    },
    notifier: () => required(notifier, 'SMTP notifier'),
    delivered: () => parseReceivedMail(required(server, 'SMTP server')),
    // Port 1 on loopback: nothing listens, so the connection is refused at once.
    broken: () => createNotifier({ kind: 'smtp', options: { url: 'smtp://127.0.0.1:1', from: 'x@example.com', timeoutMs: 2_000 } }),
  };
}

function logBackend(): Backend {
  const sunk: LoggedMail[] = [];
  let notifier: Notifier | undefined;
  return {
    async start() {
      notifier = await createNotifier({ kind: 'log', options: { sink: (mail) => sunk.push(mail) } });
    },
    async stop() {
      await notifier?.close();
    },
    notifier: () => required(notifier, 'log notifier'),
    delivered: async () => sunk.map(({ sentAt: _sentAt, ...mail }) => mail),
    broken: () => createNotifier({
      kind: 'log',
      options: {
        sink: () => {
          throw new Error('disk full');
        },
      },
    }),
  };
}

const BACKENDS: Record<NotifierKind, () => Backend> = { smtp: smtpBackend, log: logBackend };

for (const [kind, make] of Object.entries(BACKENDS)) {
  describe(`Notifier conformance: ${kind}`, () => {
    const backend = make();
    beforeAll(() => backend.start());
    afterAll(() => backend.stop());
    notifierConformance(backend);
  });
}
