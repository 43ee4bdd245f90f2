import { DateTime } from 'luxon';
import { AppError } from '../../shared/app-error.ts';
import type { MailLocale } from '../notifier.ts';

const NUMBER_LOCALE: Record<MailLocale, string> = { zh: 'zh-CN', en: 'en-US' };

/** `1250000` → `1,250,000` in the mail's locale. */
export function formatCount(locale: MailLocale, n: number): string {
  return new Intl.NumberFormat(NUMBER_LOCALE[locale], { maximumFractionDigits: 0 }).format(n);
}

/** Bytes as MiB with two decimals (bk-log shows `{size}M`), e.g. `12.30 MB`. */
export function formatMegabytes(locale: MailLocale, bytes: number): string {
  const mib = new Intl.NumberFormat(NUMBER_LOCALE[locale], { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${mib.format(bytes / (1024 * 1024))} MB`;
}

/** Throws `VALIDATION_FAILED` unless `zone` is an IANA zone luxon knows. */
export function checkTimeZone(zone: string): string {
  if (!DateTime.now().setZone(zone).isValid) {
    throw new AppError('VALIDATION_FAILED', `Unknown time zone ${zone}`, { details: { field: 'timeZone', timeZone: zone } });
  }
  return zone;
}

/** `2026-11-23 08:00:00 (Asia/Shanghai)`: bk-log's format plus the zone, which bk-log left implicit. */
export function formatTime(date: Date, zone: string): string {
  return `${DateTime.fromJSDate(date, { zone }).toFormat('yyyy-MM-dd HH:mm:ss')} (${zone})`;
}

/** Throws `VALIDATION_FAILED` unless `url` is an absolute http(s) URL (no `javascript:` links in a mail). */
export function checkLink(field: string, url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new AppError('VALIDATION_FAILED', `${field} must be an absolute http(s) URL`, { details: { field } });
  }
  return url;
}

/** Replaces line breaks and other control characters by spaces: subjects and table cells are one line. */
export function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}
