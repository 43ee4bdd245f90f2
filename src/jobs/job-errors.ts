/**
 * Typed control-flow errors a handler throws to choose what happens to its job (bullmq style).
 * They never reach users (the job's `lastError` keeps only the message), so they are plain
 * `Error`s rather than `AppError`s with a catalogue code.
 */

/** Fail the job now, skipping the remaining attempts (bad payload, missing row, …). */
export class UnrecoverableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnrecoverableError';
  }
}

/**
 * Put the job back and run it again after `delayMs` (a dependency is busy, a lock is held…).
 * The delivery still counts in `attempt`, but it does not use up `retryLimit`.
 */
export class RetryLaterError extends Error {
  readonly delayMs: number;

  constructor(delayMs: number, message = `retry later (in ${delayMs} ms)`) {
    super(message);
    this.name = 'RetryLaterError';
    this.delayMs = Math.max(0, delayMs);
  }
}
