/**
 * The notification channels (bk-log's `notify_type`). `smtp` sends real mail through nodemailer;
 * `log` writes each mail to the logger (or a sink) and is the embedded default when no SMTP
 * server is configured — with it, nobody receives e-mail.
 */
export const NOTIFIER_KINDS = ['smtp', 'log'] as const;
export type NotifierKind = (typeof NOTIFIER_KINDS)[number];

/** Locales the mail templates are written in. */
export const MAIL_LOCALES = ['zh', 'en'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

/** One e-mail. `text` is always sent; `html` as the alternative part when given. */
export interface MailMessage {
  /** Recipient addresses; at least one. */
  to: string[];
  subject: string;
  text: string;
  html?: string;
  /** Informational (the language the body was rendered in); sent as `Content-Language`. */
  locale?: MailLocale;
}

/** What the channel accepted. */
export interface SendResult {
  /** The channel's message id (SMTP `Message-ID`, or a generated id for `log`). */
  messageId: string;
}

/**
 * The notification port. Every implementation passes `notifier.conformance.ts`.
 * `send` rejects with `AppError('VALIDATION_FAILED')` for a message without recipients or with a
 * malformed address (before any I/O), and with `AppError('DEPENDENCY_FAILED', …, { cause })`
 * when the channel refuses or cannot be reached. Callers (the export worker) log such failures
 * and never fail the export because of them.
 */
export interface Notifier {
  readonly kind: NotifierKind;
  send(message: MailMessage): Promise<SendResult>;
  /** Releases connections (SMTP pool); idempotent. */
  close(): Promise<void>;
}
