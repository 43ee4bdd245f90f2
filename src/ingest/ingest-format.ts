import type { IndexSet } from '../store/index-set.ts';
import type { NewLogRow } from '../store/log-row.ts';

/** The line formats `ingest` understands; each has a parser factory in `PARSER_FACTORIES`. */
export const INGEST_FORMATS = ['raw', 'ndjson', 'logfmt'] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

/** The outcome of parsing one line: a row ready for `LogStore.append`, or a reason it was rejected. */
export type ParseResult =
  | { ok: true; row: NewLogRow; /** The line had no usable timestamp and `defaultTime: 'now'` applied. */ defaultedTime?: true }
  | { ok: false; lineNo: number; reason: string };

/** Parses one line (without its line terminator); `lineNo` is 1-based and only used in the result. */
export type LineParser = (line: string, lineNo: number) => ParseResult;

/**
 * Where ndjson/logfmt parsers find the time and message and how keys map onto declared fields.
 * Paths are dotted (`trace.id`); a literal key containing dots (`"trace.id": …`) wins over a walk.
 */
export interface FieldMapping {
  /** Key holding the timestamp. Default: the index set's time field, then `@timestamp`, `timestamp`, `time`, `ts`. */
  time?: string;
  /**
   * Key holding the message. Default: the index set's message field, then `message`, `msg`.
   * The special value `$line` stores the whole input line as the message.
   */
  message?: string;
  /** Declared field name → source path, for fields whose source key differs from their name. */
  fields?: Record<string, string>;
}

/** What every parser factory receives. Factories validate it and throw VALIDATION_FAILED on bad config. */
export interface ParserConfig {
  indexSet: IndexSet;
  /** IANA time zone for timestamps that carry no offset (`Asia/Shanghai`, `UTC`). */
  timeZone: string;
  /**
   * `auto` (default): ISO-8601, `yyyy-MM-dd HH:mm:ss,SSS`, `yyyyMMddHHmmss`, `yyMMdd HHmmss`, syslog
   * `MMM d HH:mm:ss` (year assumed from `referenceTime`), Apache `dd/MMM/yyyy:HH:mm:ss Z`, epoch
   * s/ms/µs/ns by magnitude. Or `iso`, `epoch_s`, `epoch_ms`, or a luxon format string.
   */
  timeFormat?: string;
  /** Raw format only: `<Date> <Time> <Level> <Component>: <Content>`. */
  headerFormat?: string;
  mapping?: FieldMapping;
  /**
   * `now`: a line whose timestamp is missing or unparseable gets the ingest time instead of being
   * rejected (counted in `defaultedTime`). Default: such lines are bad lines.
   */
  defaultTime?: 'now';
  /** "Now" for syslog's assumed year and `defaultTime: 'now'`; epoch ms. Default: the wall clock. */
  referenceTime?: number;
}

/** Builds a line parser; called once per ingest, so it may precompile regexes and lookups. */
export type ParserFactory = (config: ParserConfig) => LineParser;
