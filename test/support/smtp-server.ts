import { simpleParser, type AddressObject } from 'mailparser';
import { stopChild } from './stop-child.ts';
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from './postgres-server.ts';

/** One mail as the SMTP server received it: the SMTP envelope and the raw RFC 5322 message. */
export interface ReceivedMail {
  envelope: { from: string | null; to: string[] };
  raw: Buffer;
}

/** A real SMTP server in a child process on loopback; see smtp-server-child.mjs. */
export interface SmtpServer {
  /** `smtp://127.0.0.1:PORT` (no TLS, no auth). */
  readonly url: string;
  readonly port: number;
  /** Folder the raw messages are written to. */
  readonly directory: string;
  /** Every mail received so far, in arrival order. */
  received(): ReceivedMail[];
  /** Waits until at least `count` mails have arrived in total, then returns them all. */
  waitForMail(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./smtp-server-child.mjs', import.meta.url));

/** Starts the SMTP test server on 127.0.0.1 and a free port, writing mails to a temp folder. */
export async function startSmtpServer(): Promise<SmtpServer> {
  const directory = mkdtempSync(join(tmpdir(), 'logsift-smtp-'));
  const port = await freePort();
  const child = fork(CHILD, [directory, String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('SMTP test server did not start within 20 s')), 20_000);
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`SMTP test server exited with ${code}`));
    });
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
    throw err;
  });

  const received = (): ReceivedMail[] =>
    readdirSync(directory)
      .filter((name) => name.endsWith('.eml'))
      .sort()
      .map((name) => ({
        envelope: JSON.parse(readFileSync(join(directory, name.replace(/\.eml$/, '.json')), 'utf8')) as ReceivedMail['envelope'],
        raw: readFileSync(join(directory, name)),
      }));

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    directory,
    received,
    async waitForMail(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mails = received();
        if (mails.length >= count) return mails;
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${mails.length} within ${timeoutMs} ms`);
        await sleep(25);
      }
    },
    stop: () => stopChild(child, directory),
  };
}

/** A received mail parsed with mailparser. `to` is the SMTP envelope (who it was delivered to). */
export interface ParsedMail {
  messageId: string;
  to: string[];
  /** Addresses in the `To:` header. */
  headerTo: string[];
  from: string[];
  subject: string;
  text: string;
  html?: string;
  /** The `Content-Language` header, if any. */
  locale?: string;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((a) => a.value.map((v) => v.address ?? ''));
}

/** Parses every mail the server received so far, in arrival order. */
export async function parseReceivedMail(server: SmtpServer): Promise<ParsedMail[]> {
  return Promise.all(server.received().map(async ({ envelope, raw }) => {
    const parsed = await simpleParser(raw);
    const lang = parsed.headers.get('content-language');
    return {
      messageId: parsed.messageId ?? '',
      to: envelope.to,
      headerTo: addresses(parsed.to),
      from: addresses(parsed.from),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
      ...(typeof lang === 'string' ? { locale: lang } : {}),
    };
  }));
}
