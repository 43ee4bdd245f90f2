import { Transform } from 'node:stream';
import { AppError } from '../shared/app-error.ts';

/** A pass-through that counts bytes and, when `expected` is given, fails on any other total. */
export interface ByteCounter extends Transform {
  readonly bytes: number;
}

/**
 * Counts the bytes of a put's body. A body longer than `expected` fails as soon as it overflows;
 * a shorter one fails at its end — in both cases before the object becomes visible, so a
 * truncated upload is never stored under the key.
 */
export function byteCounter(key: string, expected?: number): ByteCounter {
  let bytes = 0;
  const mismatch = (): AppError =>
    new AppError('VALIDATION_FAILED', `Object ${key}: body size does not match the declared size`, {
      details: { key, expected, actual: bytes },
    });
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (expected !== undefined && bytes > expected) callback(mismatch());
      else callback(null, chunk);
    },
    flush(callback) {
      callback(expected !== undefined && bytes !== expected ? mismatch() : null);
    },
  });
  return Object.defineProperty(counter, 'bytes', { get: () => bytes }) as ByteCounter;
}
