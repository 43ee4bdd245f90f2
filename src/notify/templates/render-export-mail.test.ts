import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/app-error.ts';
import { renderExportMail, type ExportFailureMailInput, type ExportSuccessMailInput } from './render-export-mail.ts';

const base = {
  platform: 'logsift',
  indexSets: [{ name: 'app-logs', indices: ['2_bklog.app', '2_bklog.app_err'] }],
  createdBy: 'alice',
  exportedAt: new Date('2026-11-23T08:00:00Z'),
  timeZone: 'Asia/Shanghai',
  timeRange: { start: new Date('2026-11-22T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z') },
  query: 'level:ERROR AND service:"pay"',
  searchUrl: 'https://logsift.example.com/search?index_set_id=7&q=level%3AERROR',
};
const success: ExportSuccessMailInput = {
  ...base,
  locale: 'en',
  outcome: 'success',
  fileSizeBytes: 12_897_484,
  rowsExported: 1_000_000,
  downloadUrl: 'https://logsift.example.com/api/v1/search/download_export/?task_id=42',
  warnings: [{ kind: 'row_limit', exported: 1_000_000, matching: 1_250_000, limit: 1_000_000 }],
};
const failure: ExportFailureMailInput = { ...base, locale: 'en', outcome: 'failure', reason: 'export upload error: bucket not found' };

describe('renderExportMail', () => {
  it('renders the English success mail with every bk-log field', () => {
    const mail = renderExportMail(success);
    expect(mail.subject).toBe('[logsift] app-logs search export');
    expect(mail.text).toContain('[Notice] logsift - The export you requested is ready to download.');
    expect(mail.text).toContain('Index set: app-logs\n');
    expect(mail.text).toContain('Indices: 2_bklog.app, 2_bklog.app_err\n');
    expect(mail.text).toContain('Time range: 2026-11-22 08:00:00 (Asia/Shanghai) – 2026-11-23 08:00:00 (Asia/Shanghai)\n');
    expect(mail.text).toContain('Export time: 2026-11-23 16:00:00 (Asia/Shanghai)\n');
    expect(mail.text).toContain('Created by: alice\n');
    expect(mail.text).toContain('Package size: 12.30 MB (12,897,484 bytes)\n');
    expect(mail.text).toContain('Rows exported: 1,000,000\n');
    expect(mail.text).toContain('Query: level:ERROR AND service:"pay"\n');
    expect(mail.text).toContain('Warnings: row limit reached: 1,000,000 of 1,250,000 rows exported\n');
    expect(mail.text).toContain(`Open the search: ${base.searchUrl}\n`);
    expect(mail.text).toContain('Download: https://logsift.example.com/api/v1/search/download_export/?task_id=42\n');
    expect(mail.html).toContain('href="https://logsift.example.com/api/v1/search/download_export/?task_id=42"');
    expect(mail.html).toContain('row limit reached: 1,000,000 of 1,250,000 rows exported');
    expect(mail.html).toContain('<html lang="en">');
  });

  it('renders the Chinese success mail with bk-log\'s wording', () => {
    const mail = renderExportMail({ ...success, locale: 'zh' });
    expect(mail.subject).toBe('【logsift】app-logs 检索导出');
    expect(mail.text).toContain('【提示】logsift-您下载的内容已经准备好，请前往进行下载。');
    expect(mail.text).toContain('索引集名称: app-logs\n');
    expect(mail.text).toContain('导出人: alice\n');
    expect(mail.text).toContain('待下载包大小: 12.30 MB (12,897,484 字节)\n');
    expect(mail.text).toContain('检索条件: level:ERROR AND service:"pay"\n');
    expect(mail.text).toContain('警告: 已达到行数上限 1,000,000：已导出 1,000,000 / 1,250,000 行\n');
    expect(mail.text).toContain('下载: https://logsift.example.com/api/v1/search/download_export/?task_id=42');
    expect(mail.text).toContain('此邮件为系统邮件，请勿回复。');
    expect(mail.html).toContain('<html lang="zh-CN">');
  });

  it('failure mails carry the reason and no download link, even when one is passed', () => {
    for (const locale of ['en', 'zh'] as const) {
      const input = { ...failure, locale, downloadUrl: 'https://logsift.example.com/leak?task_id=42' } as ExportFailureMailInput;
      const mail = renderExportMail(input);
      expect(mail.text).not.toContain('leak');
      expect(mail.html).not.toContain('leak');
      expect(mail.text).not.toMatch(/Download:|下载: /);
      expect(mail.text).not.toMatch(/Package size|待下载包大小/);
      expect(mail.text).toContain('export upload error: bucket not found');
      expect(mail.html).toContain(`href="${base.searchUrl.replace('&', '&amp;')}"`); // & escaped in the attribute
    }
    expect(renderExportMail(failure).subject).toBe('[logsift] app-logs search export failed');
    expect(renderExportMail(failure).text).toContain('Reason: export upload error: bucket not found\n');
    expect(renderExportMail({ ...failure, locale: 'zh' }).subject).toBe('【logsift】app-logs 检索导出失败');
    expect(renderExportMail({ ...failure, locale: 'zh' }).text).toContain('【错误】logsift-您下载的内容打包失败');
  });

  it('names every index set of a union export, bracketed as bk-log does', () => {
    const union = { ...success, indexSets: [{ name: 'app', indices: ['a_1'] }, { name: 'gateway', indices: ['g_1', 'g_2'] }] };
    expect(renderExportMail({ ...union, locale: 'zh' }).subject).toBe('【logsift】【app,gateway】 检索导出');
    const en = renderExportMail(union);
    expect(en.subject).toBe('[logsift] [app,gateway] search export');
    expect(en.text).toContain('Index set: app, gateway\n');
    expect(en.text).toContain('Indices: app: a_1\n  gateway: g_1, g_2\n');
  });

  it('HTML-escapes every user-controlled value', () => {
    const evil = '<script>alert("x")</script>';
    const mail = renderExportMail({
      ...success,
      query: `message:"${evil}" & 'q'`,
      createdBy: `<img src=x onerror=alert(1)>`,
      indexSets: [{ name: `<b>set</b>`, indices: [`<i>idx</i>`] }],
      warnings: [`<u>${evil}</u>`],
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<b>set');
    expect(mail.html).not.toContain('<i>idx');
    expect(mail.html).not.toContain('<u>');
    expect(mail.html).toContain('message:&quot;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&quot; &amp; &#39;q&#39;');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // The plain-text part shows the query verbatim: text is not interpreted.
    expect(mail.text).toContain(`Query: message:"${evil}" & 'q'`);
    const failed = renderExportMail({ ...failure, reason: `bad ${evil}` });
    expect(failed.html).not.toContain('<script>');
    expect(failed.html).toContain('bad &lt;script&gt;');
  });

  it('keeps user values on one line where a newline could fake a field or a header', () => {
    const mail = renderExportMail({ ...success, createdBy: 'alice\nDownload: https://evil.example', indexSets: [{ name: 'a\r\nBcc: x@y', indices: ['i'] }] });
    expect(mail.subject).toBe('[logsift] a Bcc: x@y search export');
    expect(mail.text).toContain('Created by: alice Download: https://evil.example\n');
    expect(mail.text.match(/^Download: /gm)).toHaveLength(1);
  });

  it('states an empty query as all rows and a byte-limit warning in both languages', () => {
    const input = { ...success, query: '  ', warnings: [{ kind: 'byte_limit' as const, exported: 800_000, matching: null, limitBytes: 2 * 1024 ** 3 }] };
    const en = renderExportMail(input);
    expect(en.text).toContain('Query: (all rows)\n');
    expect(en.text).toContain('Warnings: size limit of 2,048.00 MB reached: 800,000 rows exported (total unknown)\n');
    const zh = renderExportMail({ ...input, locale: 'zh' });
    expect(zh.text).toContain('检索条件: （全部）\n');
    expect(zh.text).toContain('警告: 已达到大小上限 2,048.00 MB：已导出 800,000 行（总行数未知）\n');
  });

  it('refuses non-http links, unknown time zones and mails without an index set', () => {
    const bad: Array<Partial<ExportSuccessMailInput>> = [
      { downloadUrl: 'javascript:alert(1)' }, { searchUrl: '/relative/path' }, { timeZone: 'Mars/Olympus' }, { indexSets: [] },
    ];
    for (const patch of bad) {
      let thrown: unknown;
      try {
        renderExportMail({ ...success, ...patch });
      } catch (err) {
        thrown = err;
      }
      expect(isAppError(thrown, 'VALIDATION_FAILED'), JSON.stringify(patch)).toBe(true);
    }
  });

  it('defaults to UTC and the logsift platform name', () => {
    const { timeZone: _tz, platform: _p, ...rest } = success;
    const mail = renderExportMail(rest);
    expect(mail.subject).toBe('[logsift] app-logs search export');
    expect(mail.text).toContain('Export time: 2026-11-23 08:00:00 (UTC)\n');
  });
});
