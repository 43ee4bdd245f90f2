/** One stored log row. `id` is assigned by the store, strictly increasing in insertion order. */
export interface LogRow {
  /** Decimal string: ids exceed 2^53 in long-lived PostgreSQL deployments. */
  id: string;
  indexSetId: number;
  /** Epoch milliseconds (UTC). */
  ts: number;
  /** Epoch milliseconds when the row was stored. */
  ingestedAt: number;
  message: string;
  /** Declared fields other than time and message. */
  fields: Record<string, string | number | boolean | null>;
}

/** A row as handed to `LogStore.append`: the store assigns id and ingestedAt. */
export type NewLogRow = Pick<LogRow, 'ts' | 'message' | 'fields'>;
