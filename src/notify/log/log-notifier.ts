import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/app-error.ts';
import type { MailLocale, MailMessage, Notifier, SendResult } from '../notifier.ts';
import { validateMailMessage } from '../validate-mail-message.ts';

/** A mail as the log notifier records it. */
export interface LoggedMail {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
  locale?: MailLocale;
  sentAt: Date;
}

/** The part of a pino logger the log notifier needs. */
export interface MailLogger {
  info(obj: Record<string, unknown>, msg: string): void;
}

/** Options of the log notifier: where recorded mails go (a logger, a sink, or both). */
export interface LogNotifierOptions {
  logger?: MailLogger;
  /** Receives every mail in full (tests, an admin "outbox" view). */
  sink?: (mail: LoggedMail) => void;
}

/**
 * The embedded default when no SMTP server is configured: **no e-mail leaves the machine**. Each
 * mail is validated like a real one and then written to the logger (recipients, subject and the
 * plain-text body, so the download link can still be found in the log) and/or handed to `sink`.
 */
export class LogNotifier implements Notifier {
  readonly kind = 'log' as const;
  private readonly logger: MailLogger | undefined;
  private readonly sink: ((mail: LoggedMail) => void) | undefined;

  constructor(options: LogNotifierOptions = {}) {
    this.logger = options.logger;
    this.sink = options.sink;
  }

  async send(message: MailMessage): Promise<SendResult> {
    validateMailMessage(message);
    const mail: LoggedMail = {
      messageId: `<${randomUUID()}@logsift.log-notifier>`,
      to: [...message.to],
      subject: message.subject,
      text: message.text,
      ...(message.html === undefined ? {} : { html: message.html }),
      ...(message.locale === undefined ? {} : { locale: message.locale }),
      sentAt: new Date(),
    };
    try {
      this.logger?.info(
        { mail: { messageId: mail.messageId, to: mail.to, subject: mail.subject, locale: mail.locale, text: mail.text } },
        'mail not sent (no SMTP server configured); logged instead',
      );
      this.sink?.(mail);
    } catch (err) {
      throw new AppError('DEPENDENCY_FAILED', 'The mail log sink failed', { cause: err });
    }
    return { messageId: mail.messageId };
  }

  async close(): Promise<void> {
    // Nothing to release.
  }
}
