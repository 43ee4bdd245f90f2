import type { LineParser, ParserConfig } from './ingest-format.ts';
import { tokenizeLogfmt } from './logfmt-tokenizer.ts';
import { createRecordMapper } from './record-mapper.ts';

/** The `logfmt` format: `key=value` pairs mapped onto a row by `createRecordMapper`. */
export function createLogfmtParser(config: ParserConfig): LineParser {
  const map = createRecordMapper(config);
  return (line, lineNo) => {
    const tokens = tokenizeLogfmt(line);
    if (!tokens.ok) return { ok: false, lineNo, reason: tokens.reason };
    return map(tokens.pairs, line, lineNo);
  };
}
