import { AppError } from '../shared/app-error.ts';
import type { FieldDef } from '../store/index-set.ts';
import { convertFieldValue, preview, type FieldValue } from './field-value.ts';
import type { ParserConfig, ParseResult } from './ingest-format.ts';
import { createTimestampParser } from './timestamp-parser.ts';

const TIME_FALLBACKS = ['@timestamp', 'timestamp', 'time', 'ts'];
const MESSAGE_FALLBACKS = ['message', 'msg'];
/** Mapping value for `message` that stores the whole input line. */
export const WHOLE_LINE = '$line';

/** A dotted path split once: reading it runs for every field of every line. */
interface CompiledPath {
  literal: string;
  keys: string[];
}
const compilePath = (path: string): CompiledPath => ({ literal: path, keys: path.split('.') });

/** Reads a dotted path; a literal key containing the dots wins over walking nested objects. */
export function getPath(record: Record<string, unknown>, path: CompiledPath | string): unknown {
  const { literal, keys } = typeof path === 'string' ? compilePath(path) : path;
  if (Object.hasOwn(record, literal)) return record[literal];
  if (keys.length === 1) return undefined;
  let current: unknown = record;
  for (const key of keys) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const unique = (list: string[]): string[] => [...new Set(list)];

/** Maps a decoded record (JSON object or logfmt pairs) onto a row; shared by `ndjson` and `logfmt`. */
export type RecordMapper = (record: Record<string, unknown>, line: string, lineNo: number) => ParseResult;

/**
 * Builds the mapper from the index set and the caller's mapping. Declared fields are read from
 * `mapping.fields[name]` or from their own name; keys that map to no declared field are dropped.
 * Throws VALIDATION_FAILED when the mapping names a field the index set does not declare.
 */
export function createRecordMapper(config: ParserConfig): RecordMapper {
  const { indexSet, mapping = {} } = config;
  const parseTime = createTimestampParser(config);
  for (const name of Object.keys(mapping.fields ?? {})) {
    if (!indexSet.fields.some((f) => f.name === name)) {
      throw new AppError('UNKNOWN_FIELD', `Mapping names field "${name}", which index set ${indexSet.name} does not declare`, {
        details: { field: name },
      });
    }
  }
  const timeNames = mapping.time ? [mapping.time] : unique([indexSet.timeField, ...TIME_FALLBACKS]);
  const messageNames = mapping.message ? [mapping.message] : unique([indexSet.messageField, ...MESSAGE_FALLBACKS]);
  const timeKeys = timeNames.map(compilePath);
  const messageKeys = messageNames.map(compilePath);
  const wholeLine = messageNames[0] === WHOLE_LINE;
  const sources: Array<{ def: FieldDef; path: CompiledPath }> = indexSet.fields
    .filter((def) => def.name !== indexSet.timeField && def.name !== indexSet.messageField)
    .map((def) => ({ def, path: compilePath(mapping.fields?.[def.name] ?? def.name) }));
  const firstPresent = (record: Record<string, unknown>, keys: CompiledPath[]): unknown => {
    for (const key of keys) {
      const v = getPath(record, key);
      if (v !== undefined && v !== null) return v;
    }
    return undefined;
  };
  const timeLabel = timeNames.join(', ');
  const messageLabel = messageNames.join(', ');

  return (record, line, lineNo) => {
    const rawTime = firstPresent(record, timeKeys);
    let ts: number | undefined;
    let problem: string | undefined;
    if (rawTime === undefined) problem = `missing time field (${timeLabel})`;
    else if (typeof rawTime !== 'string' && typeof rawTime !== 'number') problem = `time field is not a string or number: ${preview(rawTime)}`;
    else if ((ts = parseTime(rawTime)) === undefined) problem = `unparseable timestamp ${preview(rawTime)}`;
    let defaultedTime: true | undefined;
    if (ts === undefined) {
      if (config.defaultTime !== 'now') return { ok: false, lineNo, reason: problem ?? 'no timestamp' };
      ts = config.referenceTime ?? Date.now();
      defaultedTime = true;
    }

    let message: string;
    if (wholeLine) {
      message = line;
    } else {
      const rawMessage = firstPresent(record, messageKeys);
      if (rawMessage === undefined) return { ok: false, lineNo, reason: `missing message field (${messageLabel})` };
      message = typeof rawMessage === 'string' ? rawMessage : typeof rawMessage === 'object' ? JSON.stringify(rawMessage) : String(rawMessage);
    }

    const fields: Record<string, FieldValue> = {};
    for (const { def, path } of sources) {
      const raw = getPath(record, path);
      if (raw === undefined) continue;
      const converted = convertFieldValue(def.type, raw, parseTime);
      if (!converted.ok) return { ok: false, lineNo, reason: `field ${def.name}: ${converted.reason}` };
      fields[def.name] = converted.value;
    }
    const row = { ts, message, fields };
    return defaultedTime ? { ok: true, row, defaultedTime } : { ok: true, row };
  };
}
