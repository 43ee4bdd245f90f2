import { EngineError } from './engine-error.ts';

/**
 * The clustering configuration. Names and meanings follow bk-log's clustering parameters
 * (`min_members`, `st_list`, `max_dist_list`, `delimeter`, `predefined_varibles`, … with bk-log's
 * spelling) so a bk-log config can be passed unchanged; `builtin_variables` and `max_clusters`
 * are logsift extensions.
 */
export interface PatternConfig {
  /** A cluster reports `is_new` only once it holds at least this many messages (bk-log: minimum logs per cluster). */
  min_members: number;
  /**
   * Similarity threshold(s) for assigning a message to an existing cluster, one per level (a single value
   * is reused for every level). Similarity = matching constant positions / compared positions, where
   * positions that are variable in both the template and the message are not compared.
   */
  st_list: number[];
  /**
   * One entry per sensitivity level (bk-log's dist_01…dist_09; the level is named by the value × 10, "05").
   * Each level is its own miner: a message joins a cluster only if its distance (1 − similarity) is at
   * most both this value and 1 − st; the offline post-pass merges clusters whose templates differ in at
   * most this share of positions, each of them a variable on one side.
   */
  max_dist_list: number[];
  /** Tokeniser: `builtin` (logsift's fast scanner) or a regex whose matches separate tokens (bk-log style). */
  delimeter: string;
  /** Ordered `NAME:regex` list. `^…$`-anchored regexes are tested per token; others are matched over the text first. */
  predefined_varibles: string[];
  /** logsift: also recognise numbers, hex, IPs, UUIDs, paths, ids with digit runs, true/false/null per token. */
  builtin_variables: boolean;
  /** Messages are cut to this many characters before anything else (bounds the work per message). */
  max_log_length: number;
  /** Compare constant tokens case-sensitively. */
  is_case_sensitive: boolean;
  /** Prefix-tree depth as in Drain: the tree routes by token count plus the first `depth − 3` tokens. */
  depth: number;
  /** Maximum children per tree node and maximum clusters per leaf (bk-log: maximum clusters on a model path). */
  max_child: number;
  /** logsift: maximum clusters per level; the least recently used cluster is evicted beyond it. */
  max_clusters: number;
  /** Start from a saved model (the caller passes it to `TemplateMiner.fromSnapshot`). */
  use_offline_model: boolean;
}

/** bk-log's 12 default predefined variables, decoded (bklog-spec §2.4), in bk-log's order. */
export const BKLOG_PREDEFINED_VARIABLES: readonly string[] = [
  'URL:(http|https)\\:\\/\\/[a-zA-Z0-9\\.\\/\\?\\:@\\-_=#%]+\\.([a-zA-Z]){2,6}([a-zA-Z0-9\\.\\&\\/\\?\\:@\\-_=#%])*',
  'DATETIME:datetime.datetime\\(\\d{4},\\s\\d{1,2},\\s\\d{1,2},\\s\\d{1,2},\\s\\d{1,2},\\s\\d{1,2},\\s\\d{5},\\stzinfo=<\\w{3,4}>\\)>',
  'DATETIME:\\d{1,4}(-|/)?(\\d{1,2}|\\w{3,4})(-|/)?\\d{1,4}(\\s|-|_|T)+\\d{1,2}:\\d{1,2}:\\d{1,2}((,|\\.|\\s)?(\\+)?\\d{2,6})?(\\+\\d{2}(\\:|\\s)?\\d{2})?(Z)?',
  'DATE:\\d{4}(\\-|\\/|\\.)\\d{1,2}(\\-|\\/|\\.)\\d{1,2}',
  'TIME:\\d{2}:\\d{2}:\\d{2}(\\.\\d{6})?',
  'PATH:(\\/[a-zA-Z0-9\\._-]+)+',
  'PERIOD:^[0-9]*\\.?[0-9]+([µusSmMHh])+$',
  'NUMBER:^[-+]?[0-9]+(\\.[0-9]+)?$',
  'UUID:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
  'UUID:[0-9a-fA-F]{32}',
  'IP:^((2(5[0-5]|[0-4]\\d))|[0-1]?\\d{1,2})(\\.((2(5[0-5]|[0-4]\\d))|[0-1]?\\d{1,2})){3}$',
  'IP-PORT:((2(5[0-5]|[0-4]\\d))|[0-1]?\\d{1,2})(\\.((2(5[0-5]|[0-4]\\d))|[0-1]?\\d{1,2})){3}\\s?:\\d{1,5}',
];

/** bk-log's default tokeniser regex (`DELIMETER`, bklog-spec §2.4), decoded from its JSON form. */
export const BKLOG_DELIMITER: string = [
  '"', '\\\u3002', '\\\uff1a', '\\;', '\\,', '\\,', '\\[', '\\]', '\\:', '\\s', '\\(', '\\)', '\\=', '\\|', '\\{', '\\}',
  '\\>', '\\<', '\\|', "'", '\\\uff08', '\\\uff0c', '\\\uff09', '\\/', '\\\uff0c', '\\\u3010', '\\\u3011', '\\\\r',
  '\\\\n', '\\\\t', '\\\\', '\\---', '\\--', '\\`', '\\->', '\\!', '\\\uff01', '\\\uff1f', '\\?', '\\^', '\\$', '\\. ',
].join('|');

/**
 * logsift's default: the one configuration measured in docs/patterns.md. It differs from bk-log's on
 * purpose where bk-log's values generalise worse (see docs/patterns.md, "Parameters").
 */
export const DEFAULT_CONFIG: Readonly<PatternConfig> = Object.freeze({
  min_members: 1,
  st_list: [0.7],
  max_dist_list: [0.5],
  delimeter: 'builtin',
  predefined_varibles: [],
  builtin_variables: true,
  max_log_length: 2000,
  is_case_sensitive: true,
  depth: 4,
  max_child: 100,
  max_clusters: 50_000,
  use_offline_model: false,
});

/** bk-log's built-in defaults (`OnlineTaskTrainingArgs`, bklog-spec §2.3) as a named preset. */
export const BKLOG_PRESET: Readonly<PatternConfig> = Object.freeze({
  min_members: 1,
  st_list: [0.875],
  max_dist_list: [0.5],
  delimeter: BKLOG_DELIMITER,
  predefined_varibles: [...BKLOG_PREDEFINED_VARIABLES],
  builtin_variables: false,
  max_log_length: 1000,
  is_case_sensitive: false,
  depth: 7,
  max_child: 100,
  max_clusters: 50_000,
  use_offline_model: false,
});

export const CONFIG_PRESETS = { default: DEFAULT_CONFIG, bklog: BKLOG_PRESET } as const;
export type ConfigPresetName = keyof typeof CONFIG_PRESETS;

const bad = (message: string, details?: Record<string, unknown>): EngineError =>
  new EngineError('BAD_PATTERN_CONFIG', message, details);

/** Decodes base64 (standard or URL-safe) to UTF-8 text; undefined when the input is not base64. */
function tryBase64(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length < 4 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  try {
    const bin = atob(trimmed.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Accepts bk-log's base64-of-JSON form or a plain JSON value. */
function decodeMaybeBase64Json(text: string): unknown {
  const decoded = tryBase64(text);
  if (decoded !== undefined) {
    try {
      return JSON.parse(decoded) as unknown;
    } catch {
      // not base64 JSON after all: fall through to the plain forms
    }
  }
  return undefined;
}

function parseVariables(raw: unknown): string[] {
  let value = raw;
  if (typeof value === 'string') {
    const decoded = decodeMaybeBase64Json(value);
    if (decoded !== undefined) value = decoded;
    else {
      try {
        value = JSON.parse(value) as unknown;
      } catch {
        throw bad('predefined_varibles must be a list of "NAME:regex", its JSON or its base64 form');
      }
    }
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw bad('predefined_varibles must be a list of "NAME:regex" strings');
  }
  for (const entry of value as string[]) {
    const colon = entry.indexOf(':');
    if (colon <= 0 || colon === entry.length - 1) throw bad(`predefined variable "${entry}" is not NAME:regex`);
  }
  return value as string[];
}

function parseDelimiter(raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') throw bad('delimeter must be a non-empty string');
  if (raw === 'builtin') return raw;
  const decoded = decodeMaybeBase64Json(raw);
  if (typeof decoded === 'string' && decoded !== '') return decoded;
  return raw;
}

function parseNumberList(raw: unknown, name: string, min: number, max: number): number[] {
  const list = typeof raw === 'string' ? raw.split(',').map((s) => Number(s.trim()))
    : typeof raw === 'number' ? [raw]
      : Array.isArray(raw) ? raw.map((v) => Number(v)) : undefined;
  if (list === undefined || list.length === 0 || list.some((n) => !Number.isFinite(n) || n < min || n > max)) {
    throw bad(`${name} must be one or more numbers between ${min} and ${max}`, { [name]: raw });
  }
  return list;
}

function parseInt32(raw: unknown, name: string, min: number, max: number): number {
  const n = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw bad(`${name} must be an integer between ${min} and ${max}`, { [name]: raw });
  }
  return n;
}

function parseBool(raw: unknown, name: string): boolean {
  if (raw === true || raw === 1 || raw === '1' || raw === 'true') return true;
  if (raw === false || raw === 0 || raw === '0' || raw === 'false') return false;
  throw bad(`${name} must be true/false or 1/0`, { [name]: raw });
}

type Parser = (raw: unknown) => PatternConfig[keyof PatternConfig];

/** One parser per key: the table is the list of accepted keys. */
const PARSERS: Record<keyof PatternConfig, Parser> = {
  min_members: (v) => parseInt32(v, 'min_members', 1, 1_000_000_000),
  st_list: (v) => parseNumberList(v, 'st_list', 0, 1),
  max_dist_list: (v) => parseNumberList(v, 'max_dist_list', 0, 1),
  delimeter: parseDelimiter,
  predefined_varibles: parseVariables,
  builtin_variables: (v) => parseBool(v, 'builtin_variables'),
  max_log_length: (v) => parseInt32(v, 'max_log_length', 16, 1_000_000),
  is_case_sensitive: (v) => parseBool(v, 'is_case_sensitive'),
  depth: (v) => parseInt32(v, 'depth', 3, 64),
  max_child: (v) => parseInt32(v, 'max_child', 2, 100_000),
  max_clusters: (v) => parseInt32(v, 'max_clusters', 1, 100_000_000),
  use_offline_model: (v) => parseBool(v, 'use_offline_model'),
};

/** Accepted aliases: bk-log passes `predefined_variables` to the model under the correct spelling. */
const ALIASES: Record<string, keyof PatternConfig> = { predefined_variables: 'predefined_varibles', delimiter: 'delimeter' };

/**
 * Builds a validated config from a partial object (e.g. a JSON file), on top of a preset. A `preset`
 * key (`default` | `bklog`) in the input selects the base. Unknown keys are rejected so typos surface.
 */
export function parseConfig(input: unknown = {}, base?: Readonly<PatternConfig>): PatternConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw bad('the configuration must be a JSON object');
  const raw = input as Record<string, unknown>;
  let start: Readonly<PatternConfig> = base ?? DEFAULT_CONFIG;
  if (raw.preset !== undefined) {
    if (typeof raw.preset !== 'string' || !(raw.preset in CONFIG_PRESETS)) {
      throw bad(`unknown preset ${JSON.stringify(raw.preset)}; use one of ${Object.keys(CONFIG_PRESETS).join(', ')}`);
    }
    start = CONFIG_PRESETS[raw.preset as ConfigPresetName];
  }
  const out = { ...start, st_list: [...start.st_list], max_dist_list: [...start.max_dist_list], predefined_varibles: [...start.predefined_varibles] };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'preset') continue;
    const name = ALIASES[key] ?? key;
    if (!(name in PARSERS)) throw bad(`unknown configuration key "${key}"`);
    const parsed = PARSERS[name as keyof PatternConfig](value);
    (out as Record<string, unknown>)[name] = parsed;
  }
  if (out.st_list.length !== 1 && out.st_list.length !== out.max_dist_list.length) {
    throw bad('st_list must have one value or one per max_dist_list level');
  }
  return out;
}

/** The level name of a max distance, as bk-log names its signature fields: 0.5 → "05". */
export function levelName(maxDist: number): string {
  return String(Math.round(maxDist * 10)).padStart(2, '0');
}
