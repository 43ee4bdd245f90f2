import { AppError } from '../shared/app-error.ts';
import { BUILTIN_FIELDS, type DesensitizeRule, type FieldDef, FIELD_TYPES, type FieldType } from '../store/index-set.ts';

/** What a caller sends to create an index set; everything but name and business has a default. */
export interface NewIndexSet {
  name: string;
  bkBizId: number;
  timeField?: string;
  messageField?: string;
  fields?: FieldDef[];
  sortFields?: string[];
  retentionDays?: number;
  desensitizeRules?: DesensitizeRule[];
}

/** A fully defaulted, valid definition, ready to store. */
export type ValidIndexSet = Required<NewIndexSet>;

/** One problem, addressed by its path in the input (`fields[2].name`). */
export interface ValidationProblem {
  path: string;
  message: string;
}

/** bk-log's defaults for the time and message fields. */
export const DEFAULT_TIME_FIELD = 'dtEventTimeStamp';
export const DEFAULT_MESSAGE_FIELD = 'log';
export const DEFAULT_RETENTION_DAYS = 30;
export const INDEX_SET_LIMITS = { name: 128, fields: 1000, description: 500, sortFields: 16, rules: 100, pattern: 1000, replacement: 256 } as const;

// Dotted names cover bk-log's nested fields (`__ext.container_id`).
const FIELD_NAME = /^[A-Za-z_@][A-Za-z0-9_.@-]{0,127}$/;
const FIELD_NAME_RULE = 'must be 1–128 characters: letters, digits, _ . @ - (not starting with a digit, dot or dash)';
// Text is tokenised for search; ordering by it is neither meaningful nor indexable.
const UNSORTABLE: readonly FieldType[] = ['text'];

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

class Collector {
  readonly problems: ValidationProblem[] = [];
  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }
}

function fieldName(c: Collector, value: unknown, path: string, fallback?: string): string | undefined {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'string' && FIELD_NAME.test(value)) return value;
  c.add(path, typeof value === 'string' ? FIELD_NAME_RULE : 'must be a string');
  return undefined;
}

function list(c: Collector, value: unknown, path: string, max: number): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    c.add(path, 'must be an array');
    return [];
  }
  if (value.length > max) c.add(path, `must have at most ${max} entries`);
  return value.slice(0, max);
}

function checkFields(c: Collector, raw: unknown, reserved: Map<string, string>): FieldDef[] {
  const seen = new Set<string>();
  const out: FieldDef[] = [];
  list(c, raw, 'fields', INDEX_SET_LIMITS.fields).forEach((f, i) => {
    const path = `fields[${i}]`;
    if (!isObject(f)) return c.add(path, 'must be an object {name, type, description?}');
    const name = fieldName(c, f.name, `${path}.name`);
    const type = FIELD_TYPES.includes(f.type as FieldType) ? (f.type as FieldType) : undefined;
    if (type === undefined) c.add(`${path}.type`, `must be one of ${FIELD_TYPES.join(', ')}, got ${JSON.stringify(f.type)}`);
    if (f.description !== undefined && (typeof f.description !== 'string' || f.description.length > INDEX_SET_LIMITS.description)) {
      c.add(`${path}.description`, `must be a string of at most ${INDEX_SET_LIMITS.description} characters`);
    }
    if (name === undefined) return;
    if (reserved.has(name)) return c.add(`${path}.name`, `"${name}" is already ${reserved.get(name)}`);
    if (seen.has(name)) return c.add(`${path}.name`, `duplicate field name "${name}"`);
    seen.add(name);
    if (type !== undefined) out.push(typeof f.description === 'string' ? { name, type, description: f.description } : { name, type });
  });
  return out;
}

function checkSortFields(c: Collector, raw: unknown, timeField: string, fields: FieldDef[]): string[] {
  if (raw === undefined) return [timeField];
  const types = new Map(fields.map((f) => [f.name, f.type]));
  const seen = new Set<string>();
  const out: string[] = [];
  list(c, raw, 'sortFields', INDEX_SET_LIMITS.sortFields).forEach((s, i) => {
    const path = `sortFields[${i}]`;
    if (typeof s !== 'string') return c.add(path, 'must be a string');
    if (s !== timeField && !types.has(s)) {
      return c.add(path, `unknown field "${s}": sort fields must be declared fields or the time field "${timeField}"`);
    }
    const type = types.get(s);
    if (type !== undefined && UNSORTABLE.includes(type)) return c.add(path, `field "${s}" is of type ${type} and cannot be sorted on`);
    if (seen.has(s)) return c.add(path, `duplicate sort field "${s}"`);
    seen.add(s);
    out.push(s);
  });
  return out;
}

function checkPattern(c: Collector, pattern: unknown, path: string): string | undefined {
  if (typeof pattern !== 'string' || pattern === '' || pattern.length > INDEX_SET_LIMITS.pattern) {
    c.add(path, `must be a non-empty regular expression of at most ${INDEX_SET_LIMITS.pattern} characters`);
    return undefined;
  }
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'g');
  } catch (err) {
    c.add(path, `is not a valid regular expression: ${(err as Error).message}`);
    return undefined;
  }
  // An empty match would insert the mask between every character instead of hiding anything.
  if (re.exec('')?.[0] === '') {
    c.add(path, 'must not match the empty string');
    return undefined;
  }
  return pattern;
}

function checkRules(c: Collector, raw: unknown, maskable: Set<string>): DesensitizeRule[] {
  const out: DesensitizeRule[] = [];
  list(c, raw, 'desensitizeRules', INDEX_SET_LIMITS.rules).forEach((r, i) => {
    const path = `desensitizeRules[${i}]`;
    if (!isObject(r)) return c.add(path, 'must be an object {field, pattern, replacement?}');
    const field = typeof r.field === 'string' ? r.field : undefined;
    if (field === undefined || !maskable.has(field)) {
      c.add(`${path}.field`, `unknown field ${JSON.stringify(r.field)}: rules apply to declared fields or the message field`);
    }
    const pattern = checkPattern(c, r.pattern, `${path}.pattern`);
    const replacement = r.replacement;
    if (replacement !== undefined && (typeof replacement !== 'string' || replacement.length > INDEX_SET_LIMITS.replacement)) {
      c.add(`${path}.replacement`, `must be a string of at most ${INDEX_SET_LIMITS.replacement} characters`);
    }
    if (field === undefined || pattern === undefined) return;
    out.push(typeof replacement === 'string' ? { field, pattern, replacement } : { field, pattern });
  });
  return out;
}

/**
 * Checks a create request completely and returns the defaulted definition, or throws one
 * VALIDATION_FAILED whose `details.errors` lists every problem with its path. Business existence
 * and access are checked by the service (they need the database and the caller).
 */
export function validateIndexSet(input: unknown): ValidIndexSet {
  const c = new Collector();
  const raw: Raw = isObject(input) ? input : {};
  if (!isObject(input)) c.add('', 'must be an object');
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  if (name === '' || name.length > INDEX_SET_LIMITS.name || /\p{Cc}/u.test(name)) {
    c.add('name', `must be 1–${INDEX_SET_LIMITS.name} printable characters`);
  }
  const bkBizId = raw.bkBizId;
  if (typeof bkBizId !== 'number' || !Number.isInteger(bkBizId)) c.add('bkBizId', 'must be an integer');
  const timeField = fieldName(c, raw.timeField, 'timeField', DEFAULT_TIME_FIELD);
  const messageField = fieldName(c, raw.messageField, 'messageField', DEFAULT_MESSAGE_FIELD);
  if (timeField !== undefined && timeField === messageField) c.add('messageField', 'must differ from the time field');

  const reserved = new Map<string, string>(Object.keys(BUILTIN_FIELDS).map((k) => [k, 'a built-in field']));
  if (timeField !== undefined) reserved.set(timeField, 'the time field');
  if (messageField !== undefined) reserved.set(messageField, 'the message field');
  const fields = checkFields(c, raw.fields, reserved);
  const sortFields = timeField === undefined ? [] : checkSortFields(c, raw.sortFields, timeField, fields);

  const retentionDays = raw.retentionDays ?? DEFAULT_RETENTION_DAYS;
  if (typeof retentionDays !== 'number' || !Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650) {
    c.add('retentionDays', `must be an integer 1–3650, got ${JSON.stringify(retentionDays)}`);
  }
  const maskable = new Set([...fields.map((f) => f.name), ...(messageField === undefined ? [] : [messageField])]);
  const desensitizeRules = checkRules(c, raw.desensitizeRules, maskable);

  if (c.problems.length > 0) throw validationFailed(c.problems);
  return {
    name, bkBizId: bkBizId as number, timeField: timeField as string, messageField: messageField as string,
    fields, sortFields, retentionDays: retentionDays as number, desensitizeRules,
  };
}

/** The one error shape for invalid index sets: every problem in `details.errors`. */
export function validationFailed(problems: ValidationProblem[]): AppError {
  const summary = problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`)).join('; ');
  return new AppError('VALIDATION_FAILED', `The index set is not valid: ${summary}`, { details: { errors: problems } });
}
