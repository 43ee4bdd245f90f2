import type { MailLocale } from '../notifier.ts';

/** Every fixed text of the export mails, per locale (bk-log's zh wording; en reworded to read naturally). */
export interface ExportMailStrings {
  subjectSuccess: (platform: string, names: string) => string;
  subjectFailure: (platform: string, names: string) => string;
  /** How several index-set names are bracketed in a union subject. */
  unionNames: (names: string[]) => string;
  headingSuccess: (platform: string) => string;
  headingFailure: (platform: string) => string;
  labels: {
    indexSet: string;
    indices: string;
    timeRange: string;
    exportTime: string;
    createdBy: string;
    packageSize: string;
    rows: string;
    query: string;
    reason: string;
    linkExpires: string;
    warnings: string;
  };
  allRows: string;
  /** Unit after the exact byte count. */
  bytes: string;
  openSearch: string;
  download: string;
  /** Shown on failure where the download button would be. */
  noDownload: string;
  footer: string;
}

export const EXPORT_MAIL_STRINGS: Record<MailLocale, ExportMailStrings> = {
  zh: {
    subjectSuccess: (p, n) => `【${p}】${n} 检索导出`,
    subjectFailure: (p, n) => `【${p}】${n} 检索导出失败`,
    unionNames: (names) => `【${names.join(',')}】`,
    headingSuccess: (p) => `【提示】${p}-您下载的内容已经准备好，请前往进行下载。`,
    headingFailure: (p) => `【错误】${p}-您下载的内容打包失败`,
    labels: {
      indexSet: '索引集名称',
      indices: '索引',
      timeRange: '检索时间范围',
      exportTime: '导出时间',
      createdBy: '导出人',
      packageSize: '待下载包大小',
      rows: '导出行数',
      query: '检索条件',
      reason: '失败原因',
      linkExpires: '下载链接有效期至',
      warnings: '警告',
    },
    allRows: '（全部）',
    bytes: '字节',
    openSearch: '前往检索',
    download: '下载',
    noDownload: '打包失败，没有可下载的文件。',
    footer: '此邮件为系统邮件，请勿回复。',
  },
  en: {
    subjectSuccess: (p, n) => `[${p}] ${n} search export`,
    subjectFailure: (p, n) => `[${p}] ${n} search export failed`,
    unionNames: (names) => `[${names.join(',')}]`,
    headingSuccess: (p) => `[Notice] ${p} - The export you requested is ready to download.`,
    headingFailure: (p) => `[Error] ${p} - Packaging your export failed.`,
    labels: {
      indexSet: 'Index set',
      indices: 'Indices',
      timeRange: 'Time range',
      exportTime: 'Export time',
      createdBy: 'Created by',
      packageSize: 'Package size',
      rows: 'Rows exported',
      query: 'Query',
      reason: 'Reason',
      linkExpires: 'Link valid until',
      warnings: 'Warnings',
    },
    allRows: '(all rows)',
    bytes: 'bytes',
    openSearch: 'Open the search',
    download: 'Download',
    noDownload: 'The export failed; there is no file to download.',
    footer: 'This is a system mail, please do not reply.',
  },
};
