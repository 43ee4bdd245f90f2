import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../shared/package-root.ts';
import type { ExportFormat } from '../formats/export-format.ts';
import type { PartSummary } from './part-splitter.ts';

/** Name of the manifest entry, always the archive's last entry. */
export const MANIFEST_FILE_NAME = 'manifest.json';
export const MANIFEST_VERSION = 1;

/** Everything a reader needs to trust (or distrust) the archive without asking us. */
export interface ExportManifest {
  manifestVersion: typeof MANIFEST_VERSION;
  tool: { name: 'logsift'; version: string };
  taskId: number | string | null;
  createdAt: string;
  format: ExportFormat;
  /** IANA zone every formatted time in the parts is written in. */
  timeZone: string;
  fields: string[];
  /** The validated request (query, time range, index sets …) as the task stored it. */
  request: unknown;
  /** Whether masking rules were applied (false only for an admin's raw export). */
  desensitized: boolean;
  csv?: { bom: boolean; formulaEscaping: boolean; formulaCellsEscaped: number };
  rows: {
    exported: number;
    /** Rows the query matched at the cut-off, when counted. */
    matching: number | null;
  };
  complete: boolean;
  parts: Array<{ name: string; rows: number; bytes: number; sha256: string }>;
  /** Human-readable, e.g. "exported 1,000,000 of 1,250,000 matching rows (row limit 1,000,000)". */
  warnings: string[];
}

export type ManifestInput = Omit<ExportManifest, 'manifestVersion' | 'tool' | 'createdAt' | 'parts' | 'rows' | 'complete'> & {
  parts: readonly PartSummary[];
  matchingRows: number | null;
  createdAt?: Date;
  toolVersion?: string;
};

/** Thousands with commas, independent of the process locale. */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The truncation warning for a row cap: never a silent cut. */
export function rowCapWarning(exported: number, matching: number | null, cap: number): string {
  const of = matching === null ? '' : ` of ${formatCount(matching)} matching`;
  return `exported ${formatCount(exported)}${of} rows: row limit ${formatCount(cap)} reached`;
}

/** The truncation warning for a byte cap (uncompressed bytes of all parts). */
export function byteCapWarning(exported: number, matching: number | null, capBytes: number): string {
  const of = matching === null ? '' : ` of ${formatCount(matching)} matching`;
  return `exported ${formatCount(exported)}${of} rows: size limit ${formatCount(capBytes)} bytes reached`;
}

let cachedVersion: string | undefined;

/** logsift's version from package.json. */
export function toolVersion(): string {
  if (cachedVersion === undefined) {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
    cachedVersion = pkg.version ?? '0.0.0';
  }
  return cachedVersion;
}

/**
 * Builds the manifest. `rows.exported` is the sum of the parts' rows (the truth of what is in the
 * archive); `complete` is false when warnings exist or fewer rows than matched were written, so a
 * reader never mistakes a capped export for the full result.
 */
export function buildManifest(input: ManifestInput): ExportManifest {
  const exported = input.parts.reduce((sum, p) => sum + p.rows, 0);
  const warnings = [...input.warnings];
  if (input.matchingRows !== null && exported < input.matchingRows && warnings.length === 0) {
    warnings.push(`exported ${formatCount(exported)} of ${formatCount(input.matchingRows)} matching rows`);
  }
  const manifest: ExportManifest = {
    manifestVersion: MANIFEST_VERSION,
    tool: { name: 'logsift', version: input.toolVersion ?? toolVersion() },
    taskId: input.taskId,
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    format: input.format,
    timeZone: input.timeZone,
    fields: [...input.fields],
    request: input.request,
    desensitized: input.desensitized,
    rows: { exported, matching: input.matchingRows },
    complete: warnings.length === 0,
    parts: input.parts.map((p) => ({ name: p.name, rows: p.rows, bytes: p.bytes, sha256: p.sha256 })),
    warnings,
  };
  if (input.csv) manifest.csv = { ...input.csv };
  return manifest;
}

/** The manifest as the entry's bytes (pretty-printed: people open it). */
export function manifestBytes(manifest: ExportManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
}
