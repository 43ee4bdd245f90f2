import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReceivedMail, startSmtpServer, type SmtpServer } from '../../../test/support/smtp-server.ts';
import { isAppError } from '../../shared/app-error.ts';
import { renderExportMail, type ExportMailInput } from '../templates/render-export-mail.ts';
import { SmtpNotifier } from './smtp-notifier.ts';

// The export mails end to end: rendered, sent by nodemailer to a real SMTP server process, parsed back.
describe('export mails through a real SMTP server', () => {
  let server: SmtpServer;
  let notifier: SmtpNotifier;
  const downloadUrl = 'https://logsift.example.com/api/v1/search/download_export/?task_id=42&sig=abc';
  const common = {
    indexSets: [{ name: '支付日志', indices: ['pay_app'] }],
    createdBy: 'alice',
    exportedAt: new Date('2026-11-23T08:00:00Z'),
    timeRange: { start: new Date('2026-11-22T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z') },
    query: 'message:"<script>alert(1)</script>"',
    searchUrl: 'https://logsift.example.com/search?index_set_id=7',
  };
  const send = async (input: ExportMailInput, to: string[]): Promise<string> => {
    const mail = renderExportMail(input);
    return (await notifier.send({ to, ...mail, locale: input.locale })).messageId;
  };
  const byId = async (messageId: string) => {
    const found = (await parseReceivedMail(server)).find((m) => m.messageId === messageId);
    if (found === undefined) throw new Error(`mail ${messageId} not received`);
    return found;
  };

  beforeAll(async () => {
    server = await startSmtpServer();
    notifier = new SmtpNotifier({ url: server.url, from: 'logsift <noreply@logsift.example.com>' });
  });
  afterAll(async () => {
    await notifier.close();
    await server.stop();
  });

  it('delivers the success mail with the download link, in English and Chinese', async () => {
    const en = await byId(await send({ ...common, locale: 'en', outcome: 'success', fileSizeBytes: 2048, downloadUrl }, ['alice@example.com']));
    expect(en.subject).toBe('[logsift] 支付日志 search export');
    expect(en.to).toEqual(['alice@example.com']);
    expect(en.headerTo).toEqual(['alice@example.com']);
    expect(en.from).toEqual(['noreply@logsift.example.com']);
    expect(en.text).toContain(`Download: ${downloadUrl}`);
    expect(en.html).toContain(`href="${downloadUrl.replace('&', '&amp;')}"`);
    expect(en.html).not.toContain('<script>');
    expect(en.locale).toBe('en');

    const zh = await byId(await send({ ...common, locale: 'zh', outcome: 'success', fileSizeBytes: 2048, downloadUrl }, ['bob@example.com']));
    expect(zh.subject).toBe('【logsift】支付日志 检索导出');
    expect(zh.to).toEqual(['bob@example.com']);
    expect(zh.text).toContain('【提示】logsift-您下载的内容已经准备好，请前往进行下载。');
    expect(zh.text).toContain(`下载: ${downloadUrl}`);
    expect(zh.locale).toBe('zh');
  });

  it('delivers the failure mail with the reason and without any download link', async () => {
    for (const locale of ['en', 'zh'] as const) {
      const mail = await byId(await send({ ...common, locale, outcome: 'failure', reason: 'export package error: disk full' }, ['alice@example.com']));
      expect(mail.subject).toBe(locale === 'en' ? '[logsift] 支付日志 search export failed' : '【logsift】支付日志 检索导出失败');
      expect(mail.text).toContain('export package error: disk full');
      expect(mail.text).not.toContain('download_export');
      expect(mail.html).not.toContain('download_export');
      expect(mail.html).toContain('href="https://logsift.example.com/search?index_set_id=7"');
    }
  });

  it('reports a recipient the server refuses as DEPENDENCY_FAILED with the SMTP code', async () => {
    const before = server.received().length;
    const err = await notifier.send({ to: ['reject-me@example.com'], subject: 's', text: 't' }).catch((e: unknown) => e);
    expect(isAppError(err, 'DEPENDENCY_FAILED')).toBe(true);
    expect((err as { details?: Record<string, unknown> }).details?.responseCode).toBe(550);
    expect(server.received()).toHaveLength(before);
  });

  it('treats a partly refused recipient list as a failure, naming who was refused', async () => {
    const err = await notifier.send({ to: ['ok@example.com', 'reject@example.com'], subject: 'partial', text: 't' }).catch((e: unknown) => e);
    expect(isAppError(err, 'DEPENDENCY_FAILED')).toBe(true);
    expect((err as { details?: Record<string, unknown> }).details?.rejected).toEqual(['reject@example.com']);
    // The server did deliver to the accepted recipient: the error says so rather than hiding it.
    expect((await parseReceivedMail(server)).filter((m) => m.subject === 'partial').map((m) => m.to)).toEqual([['ok@example.com']]);
  });

  it('refuses a URL that is not smtp:// or smtps://', () => {
    expect(() => new SmtpNotifier({ url: 'http://127.0.0.1:25', from: 'x@example.com' })).toThrow(/smtp/);
    expect(() => new SmtpNotifier({ url: 'not a url', from: 'x@example.com' })).toThrow(/URL/);
  });
});
