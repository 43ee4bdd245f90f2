import { expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import type { ErrorCode } from '../shared/error-codes.ts';
import type { Notifier } from './notifier.ts';

/** A mail as observed at the far end of a channel (parsed SMTP message, or the log sink's record). */
export interface DeliveredMail {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
  locale?: string;
}

/** What a notifier's test file supplies to {@link notifierConformance}. */
export interface NotifierHarness {
  notifier(): Notifier;
  /** Every mail delivered so far, as seen by the receiving side, in order. */
  delivered(): Promise<DeliveredMail[]>;
  /** A notifier of the same kind whose channel fails (server down, sink throws). */
  broken(): Promise<Notifier>;
}

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<unknown> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err, `expected AppError ${code}`).toSatisfy((e: unknown) => isAppError(e, code));
  return err;
}

/** The behaviour every {@link Notifier} must show. Call inside a `describe` that prepares the harness. */
export function notifierConformance(h: NotifierHarness): void {
  const newest = async (count: number): Promise<DeliveredMail[]> => (await h.delivered()).slice(-count);

  it('delivers a plain-text mail to its recipient and returns its message id', async () => {
    const sent = await h.notifier().send({ to: ['alice@example.com'], subject: 'export ready', text: 'line 1\nline 2' });
    expect(sent.messageId).not.toBe('');
    const [mail] = await newest(1);
    expect(mail?.messageId).toBe(sent.messageId);
    expect(mail?.to).toEqual(['alice@example.com']);
    expect(mail?.subject).toBe('export ready');
    expect(mail?.text.trimEnd()).toBe('line 1\nline 2');
    expect(mail?.html).toBeUndefined();
  });

  it('delivers an HTML alternative, UTF-8 text and the locale intact', async () => {
    const sent = await h.notifier().send({
      to: ['bob@example.com'],
      subject: '【logsift】应用日志 检索导出',
      text: '您下载的内容已经准备好',
      html: '<p>您下载的内容已经准备好 &amp; <b>done</b></p>',
      locale: 'zh',
    });
    const [mail] = await newest(1);
    expect(mail?.messageId).toBe(sent.messageId);
    expect(mail?.subject).toBe('【logsift】应用日志 检索导出');
    expect(mail?.text.trimEnd()).toBe('您下载的内容已经准备好');
    expect(mail?.html?.trimEnd()).toBe('<p>您下载的内容已经准备好 &amp; <b>done</b></p>');
    expect(mail?.locale).toBe('zh');
  });

  it('sends one mail to several recipients', async () => {
    const before = (await h.delivered()).length;
    await h.notifier().send({ to: ['a@example.com', 'b@example.org'], subject: 'two', text: 'x' });
    const after = await h.delivered();
    expect(after).toHaveLength(before + 1);
    expect([...(after.at(-1)?.to ?? [])].sort()).toEqual(['a@example.com', 'b@example.org']);
  });

  it('refuses malformed messages with VALIDATION_FAILED and delivers nothing', async () => {
    const before = (await h.delivered()).length;
    await rejectsWith(h.notifier().send({ to: [], subject: 's', text: 't' }), 'VALIDATION_FAILED');
    await rejectsWith(h.notifier().send({ to: ['not-an-address'], subject: 's', text: 't' }), 'VALIDATION_FAILED');
    await rejectsWith(h.notifier().send({ to: ['a@example.com, b@example.com'], subject: 's', text: 't' }), 'VALIDATION_FAILED');
    await rejectsWith(h.notifier().send({ to: ['a@example.com\r\nBcc: c@example.com'], subject: 's', text: 't' }), 'VALIDATION_FAILED');
    await rejectsWith(h.notifier().send({ to: ['a@example.com'], subject: 'x\r\nBcc: c@example.com', text: 't' }), 'VALIDATION_FAILED');
    expect(await h.delivered()).toHaveLength(before);
  });

  it('reports a failing channel as DEPENDENCY_FAILED with the cause', async () => {
    const broken = await h.broken();
    try {
      const err = await rejectsWith(broken.send({ to: ['a@example.com'], subject: 's', text: 't' }), 'DEPENDENCY_FAILED');
      expect((err as Error).cause).toBeDefined();
    } finally {
      await broken.close();
    }
  });
}
