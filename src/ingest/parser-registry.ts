import type { IngestFormat, ParserFactory } from './ingest-format.ts';
import { createLogfmtParser } from './logfmt-parser.ts';
import { createNdjsonParser } from './ndjson-parser.ts';
import { createRawParser } from './raw-parser.ts';

/** One parser factory per ingest format. */
export const PARSER_FACTORIES: Record<IngestFormat, ParserFactory> = {
  raw: createRawParser,
  ndjson: createNdjsonParser,
  logfmt: createLogfmtParser,
};
