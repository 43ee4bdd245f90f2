import type { Generated } from 'kysely';

/**
 * The `export_task` table (bk-log's AsyncTask, bklog-spec §1.3) as Kysely sees it. JSON columns are
 * text on both dialects (one query path); booleans are 0/1 integers; times are ISO-8601 UTC text
 * (they sort as text); the search window is epoch ms (bigint; pg returns it as a string).
 */
export interface ExportTaskTable {
  id: Generated<number>;
  request_param: string;
  /** JSON `{[indexSetId]: [[field, order], …]}`: the sort each index set is exported in. */
  sorted_param: string;
  scenario_id: string | null;
  index_set_id: number | null;
  /** JSON sorted id list, also for single exports (one id). */
  index_set_ids: string;
  index_set_type: string;
  export_type: string;
  /** ExportStatus; `queued` is bk-log's NULL. */
  status: string;
  failed_reason: string | null;
  file_name: string | null;
  file_size_bytes: number | string | null;
  object_key: string | null;
  download_url: string | null;
  is_clean: Generated<number>;
  created_by: string;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  export_total_count: number | string;
  exported_count: Generated<number | string>;
  download_count: Generated<number>;
  bk_biz_id: number;
  is_desensitize: number;
  /** 1 when masking is skipped (admin asked for raw). */
  raw: number;
  time_zone: string;
  format: string;
  fields: string;
  quick: number;
  start_time: number | string;
  end_time: number | string;
  warnings: string;
  checkpoint: string | null;
  max_id: string;
  job_id: string | null;
  fingerprint: string;
  notify_error: string | null;
  language: string;
}

/** One row per user that ever created an export: locked (updated) inside create to serialise a user's creates. */
export interface ExportUserLockTable {
  created_by: string;
  creates: number;
}

export interface ExportTables {
  export_task: ExportTaskTable;
  export_user_lock: ExportUserLockTable;
}
