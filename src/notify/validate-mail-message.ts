import { AppError } from '../shared/app-error.ts';
import type { MailMessage } from './notifier.ts';

// Deliberately loose (RFC 5322 allows far more) but with no whitespace, angle brackets or commas,
// so one entry can never smuggle a second recipient or a header line.
const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

/**
 * Checks a message before any I/O, the same way for every notifier: at least one recipient, each
 * a single plain address, and a one-line subject (a CR/LF would start a new header on a careless
 * transport). Throws `AppError('VALIDATION_FAILED')`.
 */
export function validateMailMessage(message: MailMessage): MailMessage {
  if (message.to.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'A mail needs at least one recipient', { details: { field: 'to' } });
  }
  const bad = message.to.filter((address) => !ADDRESS.test(address));
  if (bad.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'A recipient is not a plain e-mail address', { details: { field: 'to', invalid: bad } });
  }
  if (/[\r\n]/.test(message.subject)) {
    throw new AppError('VALIDATION_FAILED', 'A mail subject must be one line', { details: { field: 'subject' } });
  }
  return message;
}
