import nodemailer, { type Transporter } from 'nodemailer';
import { AppError } from '../../shared/app-error.ts';
import type { MailMessage, Notifier, SendResult } from '../notifier.ts';
import { validateMailMessage } from '../validate-mail-message.ts';

/** Options of the SMTP notifier (config `export.smtp`). */
export interface SmtpNotifierOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://host:465` (TLS from the start). */
  url: string;
  /** Sender address, e.g. `logsift <logsift@example.com>`. */
  from: string;
  /** Give up on a connection, greeting or command after this long; default 30 s. */
  timeoutMs?: number;
}

function smtpDetails(err: unknown): Record<string, unknown> {
  if (typeof err !== 'object' || err === null) return {};
  const e = err as { code?: unknown; responseCode?: unknown; command?: unknown };
  return { code: e.code, responseCode: e.responseCode, command: e.command };
}

/**
 * Sends mail through an SMTP server with nodemailer. One pooled transport per notifier; a refused
 * recipient, a rejected message or an unreachable server is `AppError('DEPENDENCY_FAILED')` with
 * nodemailer's error as `cause` and the SMTP response code in `details`.
 */
export class SmtpNotifier implements Notifier {
  readonly kind = 'smtp' as const;
  private readonly transport: Transporter;
  private readonly from: string;

  constructor(options: SmtpNotifierOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch (err) {
      throw new AppError('BAD_CONFIG', 'SMTP url is not a URL', { cause: err });
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
      throw new AppError('BAD_CONFIG', 'SMTP url must start with smtp:// or smtps://', { details: { protocol: url.protocol } });
    }
    const timeout = options.timeoutMs ?? 30_000;
    this.from = options.from;
    this.transport = nodemailer.createTransport({
      url: options.url,
      pool: true,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(message: MailMessage): Promise<SendResult> {
    validateMailMessage(message);
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        ...(message.locale === undefined ? {} : { headers: { 'Content-Language': message.locale } }),
      });
      // nodemailer resolves even when only some recipients were refused; a partial send is a failure.
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length > 0) {
        throw new AppError('DEPENDENCY_FAILED', 'The SMTP server refused some recipients', {
          details: { rejected, messageId: info.messageId },
        });
      }
      return { messageId: String(info.messageId) };
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('DEPENDENCY_FAILED', 'The SMTP server did not accept the mail', {
        cause: err,
        details: smtpDetails(err),
      });
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
