import type { MailLocale } from '../notifier.ts';
import { formatCount, formatMegabytes } from './export-mail-format.ts';

/**
 * A warning shown in the export mail. Structured warnings are translated; a plain string (e.g. a
 * manifest warning) is shown as it is.
 */
export type ExportMailWarning =
  | string
  | { kind: 'row_limit'; exported: number; matching: number | null; limit: number }
  | { kind: 'byte_limit'; exported: number; matching: number | null; limitBytes: number };

type StructuredWarning = Exclude<ExportMailWarning, string>;
type WarningKind = StructuredWarning['kind'];
type WarningOf<K extends WarningKind> = Extract<StructuredWarning, { kind: K }>;

function rowsOf(locale: MailLocale, exported: number, matching: number | null): string {
  const e = formatCount(locale, exported);
  if (matching === null) return locale === 'zh' ? `已导出 ${e} 行（总行数未知）` : `${e} rows exported (total unknown)`;
  const m = formatCount(locale, matching);
  return locale === 'zh' ? `已导出 ${e} / ${m} 行` : `${e} of ${m} rows exported`;
}

const WARNING_TEXT: { [K in WarningKind]: Record<MailLocale, (w: WarningOf<K>) => string> } = {
  row_limit: {
    zh: (w) => `已达到行数上限 ${formatCount('zh', w.limit)}：${rowsOf('zh', w.exported, w.matching)}`,
    en: (w) => `row limit reached: ${rowsOf('en', w.exported, w.matching)}`,
  },
  byte_limit: {
    zh: (w) => `已达到大小上限 ${formatMegabytes('zh', w.limitBytes)}：${rowsOf('zh', w.exported, w.matching)}`,
    en: (w) => `size limit of ${formatMegabytes('en', w.limitBytes)} reached: ${rowsOf('en', w.exported, w.matching)}`,
  },
};

/** The warning as one line of text in `locale`. */
export function warningText(locale: MailLocale, warning: ExportMailWarning): string {
  if (typeof warning === 'string') return warning;
  const render = WARNING_TEXT[warning.kind][locale] as (w: StructuredWarning) => string;
  return render(warning);
}
