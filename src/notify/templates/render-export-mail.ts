import { AppError } from '../../shared/app-error.ts';
import type { MailLocale } from '../notifier.ts';
import { escapeHtml } from './escape-html.ts';
import { checkLink, checkTimeZone, formatCount, formatMegabytes, formatTime, oneLine } from './export-mail-format.ts';
import { EXPORT_MAIL_STRINGS, type ExportMailStrings } from './export-mail-strings.ts';
import { warningText, type ExportMailWarning } from './export-mail-warning.ts';

/** One exported index set: its name and the indices (result tables) it searched. */
export interface ExportMailIndexSet {
  name: string;
  indices: string[];
}

/** Fields of both mails (bk-log's template context, §1.10, plus the time range and warnings). */
interface ExportMailCommon {
  locale: MailLocale;
  /** Product name in the subject and heading; default `logsift`. */
  platform?: string;
  /** One entry for a single export; several for a union export (subject lists them all). */
  indexSets: ExportMailIndexSet[];
  createdBy: string;
  /** When the export finished or failed (bk-log: time of sending). */
  exportedAt: Date;
  /** IANA zone the times are shown in; default `UTC`. */
  timeZone?: string;
  timeRange: { start: Date; end: Date };
  /** The query string as the user typed it; empty means all rows. */
  query: string;
  /** Link back to the search in the UI (http/https). */
  searchUrl: string;
  warnings?: ExportMailWarning[];
}

/** The success mail: carries the download link and the package size. */
export interface ExportSuccessMailInput extends ExportMailCommon {
  outcome: 'success';
  fileSizeBytes: number;
  /** logsift's download endpoint (it checks the user and mints a short-lived link), never a raw object URL. */
  downloadUrl: string;
  rowsExported?: number;
  linkExpiresAt?: Date;
}

/** The failure mail: carries the reason and, deliberately, no download link. */
export interface ExportFailureMailInput extends ExportMailCommon {
  outcome: 'failure';
  reason: string;
}

export type ExportMailInput = ExportSuccessMailInput | ExportFailureMailInput;

/** A rendered mail, ready for `Notifier.send` (add `to` and `locale`). */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface Row {
  label: string;
  /** One or more lines of plain text; every one is escaped in HTML. */
  lines: string[];
}

function rowsOf(input: ExportMailInput, s: ExportMailStrings, zone: string): Row[] {
  const { locale } = input;
  const union = input.indexSets.length > 1;
  const rows: Row[] = [
    { label: s.labels.indexSet, lines: [input.indexSets.map((x) => oneLine(x.name)).join(', ')] },
    {
      label: s.labels.indices,
      lines: input.indexSets.map((x) => (union ? `${oneLine(x.name)}: ` : '') + x.indices.map(oneLine).join(', ')),
    },
    { label: s.labels.timeRange, lines: [`${formatTime(input.timeRange.start, zone)} – ${formatTime(input.timeRange.end, zone)}`] },
    { label: s.labels.exportTime, lines: [formatTime(input.exportedAt, zone)] },
    { label: s.labels.createdBy, lines: [oneLine(input.createdBy)] },
  ];
  if (input.outcome === 'success') {
    rows.push({
      label: s.labels.packageSize,
      lines: [`${formatMegabytes(locale, input.fileSizeBytes)} (${formatCount(locale, input.fileSizeBytes)} ${s.bytes})`],
    });
    if (input.rowsExported !== undefined) rows.push({ label: s.labels.rows, lines: [formatCount(locale, input.rowsExported)] });
  }
  rows.push({ label: s.labels.query, lines: [input.query.trim() === '' ? s.allRows : input.query] });
  if (input.outcome === 'failure') rows.push({ label: s.labels.reason, lines: input.reason.split(/\r?\n/) });
  if (input.outcome === 'success' && input.linkExpiresAt !== undefined) {
    rows.push({ label: s.labels.linkExpires, lines: [formatTime(input.linkExpiresAt, zone)] });
  }
  const warnings = (input.warnings ?? []).map((w) => oneLine(warningText(locale, w)));
  if (warnings.length > 0) rows.push({ label: s.labels.warnings, lines: warnings });
  return rows;
}

function subjectOf(input: ExportMailInput, s: ExportMailStrings, platform: string): string {
  const names = input.indexSets.map((x) => oneLine(x.name));
  const shown = names.length > 1 ? s.unionNames(names) : (names[0] ?? '');
  return oneLine(input.outcome === 'success' ? s.subjectSuccess(platform, shown) : s.subjectFailure(platform, shown));
}

function textOf(heading: string, rows: Row[], links: Array<[string, string]>, s: ExportMailStrings, failure: boolean): string {
  const lines = [heading, ''];
  for (const row of rows) {
    const [first = '', ...rest] = row.lines;
    lines.push(`${row.label}: ${first}`, ...rest.map((l) => `  ${l}`));
  }
  lines.push('');
  for (const [label, url] of links) lines.push(`${label}: ${url}`);
  if (failure) lines.push(s.noDownload);
  lines.push('', s.footer);
  return `${lines.join('\n')}\n`;
}

function htmlOf(heading: string, rows: Row[], links: Array<[string, string]>, s: ExportMailStrings, failure: boolean, lang: string): string {
  const cell = 'style="padding:4px 12px;border:1px solid #ddd;vertical-align:top"';
  const tableRows = rows.map((row) =>
    `<tr><th ${cell} align="left">${escapeHtml(row.label)}</th><td ${cell}>${row.lines.map(escapeHtml).join('<br>')}</td></tr>`);
  const buttons = links.map(([label, url]) =>
    `<a href="${escapeHtml(url)}" style="display:inline-block;margin-right:12px;padding:6px 14px;background:#3a84ff;color:#fff;text-decoration:none">${escapeHtml(label)}</a>`);
  return [
    `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"></head><body style="font-family:sans-serif">`,
    `<p><strong>${escapeHtml(heading)}</strong></p>`,
    `<table style="border-collapse:collapse">${tableRows.join('')}</table>`,
    `<p>${buttons.join('')}</p>`,
    failure ? `<p>${escapeHtml(s.noDownload)}</p>` : '',
    `<p style="color:#888">${escapeHtml(s.footer)}</p>`,
    '</body></html>',
  ].join('\n');
}

/**
 * Renders the export success or failure mail in zh or en: a pure function. Every value that comes
 * from a user (names, indices, creator, query, reason, warnings) is HTML-escaped in the HTML part
 * and flattened to one line where a line break could fake a field. Links must be absolute
 * http(s) URLs. The failure mail never contains a download link, even if one is passed.
 * Throws `VALIDATION_FAILED` for a bad time zone, a non-http link or no index set.
 */
export function renderExportMail(input: ExportMailInput): RenderedMail {
  if (input.indexSets.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'An export mail needs at least one index set', { details: { field: 'indexSets' } });
  }
  const s = EXPORT_MAIL_STRINGS[input.locale];
  const zone = checkTimeZone(input.timeZone ?? 'UTC');
  const platform = oneLine(input.platform ?? 'logsift');
  const links: Array<[string, string]> = [[s.openSearch, checkLink('searchUrl', input.searchUrl)]];
  if (input.outcome === 'success') links.push([s.download, checkLink('downloadUrl', input.downloadUrl)]);
  const failure = input.outcome === 'failure';
  const heading = failure ? s.headingFailure(platform) : s.headingSuccess(platform);
  const rows = rowsOf(input, s, zone);
  return {
    subject: subjectOf(input, s, platform),
    text: textOf(heading, rows, links, s, failure),
    html: htmlOf(heading, rows, links, s, failure, input.locale === 'zh' ? 'zh-CN' : 'en'),
  };
}
