/**
 * An index set is bk-log's unit of search: a named collection of log rows belonging to one
 * business (`bk_biz_id`), with a declared field list. Rows carry a timestamp, a message and
 * typed fields; anything not declared is rejected at query time with UNKNOWN_FIELD.
 */
export const FIELD_TYPES = ['keyword', 'text', 'long', 'double', 'boolean', 'date'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldDef {
  name: string;
  type: FieldType;
  description?: string;
}

/** A masking rule applied to a field's value on export unless raw data is requested by an admin. */
export interface DesensitizeRule {
  field: string;
  /** A regex over the value; each match is replaced by `replacement` (default: all `*`). */
  pattern: string;
  replacement?: string;
}

export interface IndexSet {
  id: number;
  name: string;
  bkBizId: number;
  /** Name of the timestamp field as users see it (bk-log default `dtEventTimeStamp`). Stored in the `ts` column. */
  timeField: string;
  /** Name of the message field (bk-log default `log`). Stored in the `message` column. */
  messageField: string;
  fields: FieldDef[];
  /** Sort used by exports; a unique tiebreaker (the row id) is always appended. */
  sortFields: string[];
  retentionDays: number;
  desensitizeRules: DesensitizeRule[];
  createdAt: string;
  createdBy: string;
}

/** Built-in columns every row has, whatever the index set declares. */
export const BUILTIN_FIELDS = {
  id: 'long',
  ingestedAt: 'date',
} as const satisfies Record<string, FieldType>;
