import { csvFormat } from './csv-format.ts';
import type { ExportFormat, FormatFactory, FormatOptions, RowEncoder } from './export-format.ts';
import { jsonFormat } from './json-format.ts';
import { ndjsonFormat } from './ndjson-format.ts';

/** Every export format and how to write it. */
export const FORMAT_REGISTRY: Record<ExportFormat, FormatFactory> = {
  log: ndjsonFormat,
  csv: csvFormat,
  json: jsonFormat,
};

/** Creates the encoder for `format`; throws VALIDATION_FAILED (via the time zone) before any output. */
export function createRowEncoder(format: ExportFormat, options: FormatOptions): RowEncoder {
  return FORMAT_REGISTRY[format].create(options);
}
