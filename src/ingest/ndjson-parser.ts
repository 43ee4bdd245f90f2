import type { LineParser, ParserConfig } from './ingest-format.ts';
import { createRecordMapper } from './record-mapper.ts';

/** The `ndjson` format: one JSON object per line, mapped onto a row by `createRecordMapper`. */
export function createNdjsonParser(config: ParserConfig): LineParser {
  const map = createRecordMapper(config);
  return (line, lineNo) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      return { ok: false, lineNo, reason: `invalid JSON: ${(err as Error).message}` };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      return { ok: false, lineNo, reason: `expected a JSON object, got ${kind}` };
    }
    return map(value as Record<string, unknown>, line, lineNo);
  };
}
