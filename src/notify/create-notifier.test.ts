import { describe, expect, it } from 'vitest';
import { createNotifier, NOTIFIER_FACTORIES, notifierConfigFromSmtp } from './create-notifier.ts';
import { NOTIFIER_KINDS } from './notifier.ts';

describe('createNotifier', () => {
  it('has a factory for every kind', () => {
    expect(Object.keys(NOTIFIER_FACTORIES).sort()).toEqual([...NOTIFIER_KINDS].sort());
  });

  it('uses SMTP when a URL is configured and the log notifier (no mail sent) otherwise', async () => {
    expect(notifierConfigFromSmtp({ url: 'smtp://mail.example.com:587', from: 'a@example.com' })).toEqual({
      kind: 'smtp', options: { url: 'smtp://mail.example.com:587', from: 'a@example.com' },
    });
    expect(notifierConfigFromSmtp({ from: 'a@example.com' }).kind).toBe('log');
    expect(notifierConfigFromSmtp({ url: '', from: 'a@example.com' }).kind).toBe('log');
    const smtp = await createNotifier(notifierConfigFromSmtp({ url: 'smtp://127.0.0.1:1', from: 'a@example.com' }));
    expect(smtp.kind).toBe('smtp');
    await smtp.close();
  });

  it('the log notifier writes recipients, subject and the body (with its links) to the logger', async () => {
    const logged: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const notifier = await createNotifier(notifierConfigFromSmtp({ from: 'a@example.com' }, { logger: { info: (obj, msg) => logged.push({ obj, msg }) } }));
    const { messageId } = await notifier.send({ to: ['alice@example.com'], subject: 'ready', text: 'Download: https://x.example/d?t=1' });
    expect(logged).toHaveLength(1);
    expect(logged[0]?.msg).toMatch(/not sent/);
    expect(logged[0]?.obj).toEqual({
      mail: { messageId, to: ['alice@example.com'], subject: 'ready', locale: undefined, text: 'Download: https://x.example/d?t=1' },
    });
  });
});
