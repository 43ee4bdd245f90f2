import { AppError } from '../shared/app-error.ts';
import type { FieldDef } from '../store/index-set.ts';
import { convertFieldValue, preview, type FieldValue } from './field-value.ts';
import { compileHeaderFormat } from './header-format.ts';
import type { LineParser, ParserConfig } from './ingest-format.ts';
import { createTimestampParser } from './timestamp-parser.ts';

/** Header fields that hold (parts of) the timestamp; their values are joined with one space, in order. */
export const TIME_PART_NAMES = ['date', 'time', 'timestamp', 'datetime', 'year', 'month', 'day'] as const;

/** Finds a declared field by exact name, else case-insensitively (`<Level>` fills `level`). */
function findField(fields: FieldDef[], name: string): FieldDef | undefined {
  return fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

/**
 * The `raw` format: each line must match the header format. The time comes from the time-part fields
 * (see TIME_PART_NAMES, plus the index set's time field), the message from the index set's message
 * field or `<Content>`, and other named fields go into `fields` when declared on the index set
 * (undeclared ones are dropped).
 */
export function createRawParser(config: ParserConfig): LineParser {
  const { indexSet } = config;
  if (!config.headerFormat) {
    throw new AppError('VALIDATION_FAILED', 'The raw format needs a header format such as "<Date> <Time> <Level> <Content>"');
  }
  const { regex, names } = compileHeaderFormat(config.headerFormat);
  const parseTime = createTimestampParser(config);
  const lower = names.map((n) => n.toLowerCase());
  const timeGroups = lower
    .map((n, i) => ((TIME_PART_NAMES as readonly string[]).includes(n) || n === indexSet.timeField.toLowerCase() ? i : -1))
    .filter((i) => i >= 0);
  let messageGroup = lower.indexOf(indexSet.messageField.toLowerCase());
  if (messageGroup < 0) messageGroup = lower.indexOf('content');
  if (messageGroup < 0) {
    throw new AppError('VALIDATION_FAILED', `Header format needs a <Content> or <${indexSet.messageField}> field for the message`, {
      details: { headerFormat: config.headerFormat },
    });
  }
  if (timeGroups.length === 0 && config.defaultTime !== 'now') {
    throw new AppError('VALIDATION_FAILED', 'Header format has no time field (<Date>, <Time>, <Timestamp>, …)', {
      details: { headerFormat: config.headerFormat },
    });
  }
  const fieldGroups = names.flatMap((name, i) => {
    const def = timeGroups.includes(i) || i === messageGroup ? undefined : findField(indexSet.fields, name);
    return def ? [{ group: i + 1, def }] : [];
  });
  const timeName = timeGroups.map((i) => names[i]).join(' ');

  return (line, lineNo) => {
    const m = regex.exec(line);
    if (!m) return { ok: false, lineNo, reason: `line does not match header format ${JSON.stringify(config.headerFormat)}` };
    const timeText = timeGroups.map((i) => m[i + 1] ?? '').join(' ');
    let ts = timeText.trim() === '' ? undefined : parseTime(timeText);
    let defaultedTime: true | undefined;
    if (ts === undefined) {
      if (config.defaultTime !== 'now') {
        return { ok: false, lineNo, reason: `unparseable timestamp ${preview(timeText)} in <${timeName}>` };
      }
      ts = config.referenceTime ?? Date.now();
      defaultedTime = true;
    }
    const fields: Record<string, FieldValue> = {};
    for (const { group, def } of fieldGroups) {
      const converted = convertFieldValue(def.type, m[group], parseTime);
      if (!converted.ok) return { ok: false, lineNo, reason: `field ${def.name}: ${converted.reason}` };
      fields[def.name] = converted.value;
    }
    const row = { ts, message: m[messageGroup + 1] ?? '', fields };
    return defaultedTime ? { ok: true, row, defaultedTime } : { ok: true, row };
  };
}
