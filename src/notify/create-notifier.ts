import { LogNotifier, type LogNotifierOptions } from './log/log-notifier.ts';
import type { Notifier, NotifierKind } from './notifier.ts';
import { SmtpNotifier, type SmtpNotifierOptions } from './smtp/smtp-notifier.ts';

/** The options each notifier kind takes. */
export interface NotifierOptionsByKind {
  smtp: SmtpNotifierOptions;
  log: LogNotifierOptions;
}

/** A notifier configuration: the kind and that kind's options. */
export type NotifierConfig = { [K in NotifierKind]: { kind: K; options: NotifierOptionsByKind[K] } }[NotifierKind];

/** One factory per kind; adding a kind to `NOTIFIER_KINDS` without a factory is a type error. */
export const NOTIFIER_FACTORIES: { [K in NotifierKind]: (options: NotifierOptionsByKind[K]) => Notifier } = {
  smtp: (options) => new SmtpNotifier(options),
  log: (options) => new LogNotifier(options),
};

/** Builds the configured notifier. */
export function createNotifier(config: NotifierConfig): Notifier {
  const factory = NOTIFIER_FACTORIES[config.kind] as (options: NotifierConfig['options']) => Notifier;
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
