import type { ConfigKey, LeafKind } from './config-keys.ts';

/** A leaf value converted to its schema type, or why it could not be. */
export type ParsedValue = { ok: true; value: unknown } | { ok: false; reason: string };

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
const UNIT_TABLES = { ms: DURATION_UNITS, bytes: BYTE_UNITS } as const;

/** Shortest exact human form of a number of milliseconds or bytes, for messages and tables. */
export function formatWithUnit(n: number, unit: ConfigKey['unit']): string {
  if (unit === undefined) return String(n);
  const table = Object.entries(UNIT_TABLES[unit]).sort((a, b) => b[1] - a[1]);
  const hit = table.find(([, size]) => n !== 0 && n % size === 0);
  return hit === undefined ? String(n) : `${n / hit[1]}${hit[0]}`;
}

function parseNumberText(text: string, unit: ConfigKey['unit']): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^[+-]?\d+$/.test(t)) return Number(t);
  if (unit === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/.exec(t);
  const size = m?.[2] === undefined ? undefined : UNIT_TABLES[unit][m[2]];
  return m?.[1] === undefined || size === undefined ? undefined : Number(m[1]) * size;
}

function integerReason(key: ConfigKey): string {
  const range = `${formatWithUnit(key.minimum ?? 0, key.unit)}–${formatWithUnit(key.maximum ?? Number.MAX_SAFE_INTEGER, key.unit)}`;
  if (key.unit === 'ms') return `must be a duration ${range} (e.g. 500ms, 30s, 5m, 24h; a bare number is milliseconds)`;
  if (key.unit === 'bytes') return `must be a size ${range} (e.g. 512kb, 16mb; a bare number is bytes)`;
  return `must be an integer ${range}`;
}

type Parser = (raw: unknown, key: ConfigKey) => ParsedValue;

const PARSERS: Record<LeafKind, Parser> = {
  integer: (raw, key) => {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseNumberText(raw, key.unit) : undefined;
    const inRange = n !== undefined && Number.isInteger(n) && n >= (key.minimum ?? -Infinity) && n <= (key.maximum ?? Infinity);
    return inRange ? { ok: true, value: n } : { ok: false, reason: integerReason(key) };
  },
  boolean: (raw) => {
    if (typeof raw === 'boolean') return { ok: true, value: raw };
    const t = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    if (['true', '1', 'yes', 'on'].includes(t)) return { ok: true, value: true };
    if (['false', '0', 'no', 'off'].includes(t)) return { ok: true, value: false };
    return { ok: false, reason: 'must be true or false' };
  },
  enum: (raw, key) => {
    const values = key.values ?? [];
    return typeof raw === 'string' && values.includes(raw)
      ? { ok: true, value: raw }
      : { ok: false, reason: `must be one of ${values.join(', ')}` };
  },
  string: (raw, key) => {
    if (typeof raw !== 'string') return { ok: false, reason: 'must be a string' };
    if (raw.length < (key.minLength ?? 0)) {
      return { ok: false, reason: key.minLength === 1 ? 'must not be empty' : `must be at least ${key.minLength} characters` };
    }
    if (key.pattern !== undefined && !new RegExp(key.pattern).test(raw)) {
      return { ok: false, reason: key.hint ?? `must match ${key.pattern}` };
    }
    return { ok: true, value: raw };
  },
};

/** Checks and converts one raw value (env text, CLI text or JSON value) for `key`. */
export function parseConfigValue(raw: unknown, key: ConfigKey): ParsedValue {
  const parsed = PARSERS[key.kind](raw, key);
  if (parsed.ok) return parsed;
  return { ok: false, reason: `${parsed.reason}, got ${describeRaw(raw, key)}` };
}

function describeRaw(raw: unknown, key: ConfigKey): string {
  if (key.secret === true) return 'a hidden value';
  if (typeof raw === 'string') return `'${raw.length > 80 ? `${raw.slice(0, 77)}...` : raw}'`;
  return raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw === 'object' ? 'an object' : String(raw);
}
