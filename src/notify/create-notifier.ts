import { LogNotifier, type LogNotifierOptions } from './log/log-notifier.ts';
import type { Notifier, NotifierKind } from './notifier.ts';
import type { SmtpNotifierOptions } from './smtp/smtp-notifier.ts';

/** The options each notifier kind takes. */
export interface NotifierOptionsByKind {
  smtp: SmtpNotifierOptions;
  log: LogNotifierOptions;
}

/** A notifier configuration: the kind and that kind's options. */
export type NotifierConfig = { [K in NotifierKind]: { kind: K; options: NotifierOptionsByKind[K] } }[NotifierKind];

/**
 * One factory per kind; adding a kind to `NOTIFIER_KINDS` without a factory is a type error.
 * The SMTP factory loads nodemailer when called, so a process without mail never loads it.
 */
export const NOTIFIER_FACTORIES: { [K in NotifierKind]: (options: NotifierOptionsByKind[K]) => Promise<Notifier> } = {
  smtp: async (options) => new (await import('./smtp/smtp-notifier.ts')).SmtpNotifier(options),
  log: async (options) => new LogNotifier(options),
};

/** Builds the configured notifier. */
export async function createNotifier(config: NotifierConfig): Promise<Notifier> {
  const factory = NOTIFIER_FACTORIES[config.kind] as (options: NotifierConfig['options']) => Promise<Notifier>;
  return factory(config.options);
}

/**
 * Chooses from the app config (`export.smtp`): SMTP when a URL is set; otherwise the `log`
 * notifier — the embedded default, which sends **no** e-mail and only logs each mail.
 */
export function notifierConfigFromSmtp(smtp: { url?: string | undefined; from: string }, log: LogNotifierOptions = {}): NotifierConfig {
  return smtp.url === undefined || smtp.url === ''
    ? { kind: 'log', options: log }
    : { kind: 'smtp', options: { url: smtp.url, from: smtp.from } };
}
