import type { FieldType } from '../store/index-set.ts';
import type { TimestampParser } from './timestamp-parser.ts';

export type FieldValue = string | number | boolean | null;
export type Converted = { ok: true; value: FieldValue } | { ok: false; reason: string };

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Shows a value in a bad-line reason (strings quoted, others as JSON), cut short so one huge value cannot bloat a report. */
export function preview(value: unknown): string {
  const isText = typeof value === 'string';
  const text = isText ? value : JSON.stringify(value) ?? String(value);
  const cut = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return isText ? JSON.stringify(cut) : cut;
}

const fail = (type: FieldType, value: unknown): Converted => ({ ok: false, reason: `expected ${type}, got ${preview(value)}` });

type Converter = (value: unknown, parseTime: TimestampParser) => Converted;

const asText: Converter = (value) => ({
  ok: true,
  value: typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value),
});

/**
 * One converter per declared field type. Strings from text formats are converted; JSON scalars of
 * the right type pass through. An empty string for a non-text type is a missing value (null).
 */
const CONVERTERS: Record<FieldType, Converter> = {
  keyword: asText,
  text: asText,
  long: (value) => {
    if (typeof value === 'number') return Number.isSafeInteger(value) ? { ok: true, value } : fail('long', value);
    if (typeof value === 'string' && INTEGER.test(value.trim())) {
      const n = Number(value.trim());
      return Number.isSafeInteger(n) ? { ok: true, value: n } : fail('long', value);
    }
    return fail('long', value);
  },
  double: (value) => {
    if (typeof value === 'number') return { ok: true, value };
    if (typeof value === 'string' && DECIMAL.test(value.trim())) return { ok: true, value: Number(value.trim()) };
    return fail('double', value);
  },
  boolean: (value) => {
    if (typeof value === 'boolean') return { ok: true, value };
    const t = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
    if (t === 'true') return { ok: true, value: true };
    if (t === 'false') return { ok: true, value: false };
    return fail('boolean', value);
  },
  date: (value, parseTime) => {
    const ms = typeof value === 'string' || typeof value === 'number' ? parseTime(value) : undefined;
    return ms === undefined ? fail('date', value) : { ok: true, value: ms };
  },
};

/** Converts one raw value to a declared field's type; null/undefined/'' (non-text) become null. */
export function convertFieldValue(type: FieldType, value: unknown, parseTime: TimestampParser): Converted {
  if (value === null || value === undefined) return { ok: true, value: null };
  if (value === '' && type !== 'keyword' && type !== 'text') return { ok: true, value: null };
  return CONVERTERS[type](value, parseTime);
}
