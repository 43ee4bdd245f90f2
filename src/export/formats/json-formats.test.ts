import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { IndexSet } from '../../store/index-set.ts';
import type { LogRow } from '../../store/log-row.ts';
import { encodeRows } from './encode-stream.ts';
import { resolveExportColumns } from './export-columns.ts';
import { EXPORT_FORMATS } from './export-format.ts';
import { FORMAT_REGISTRY, createRowEncoder } from './format-registry.ts';

const indexSet: IndexSet = {
  id: 3,
  name: 'svc',
  bkBizId: 1,
  timeField: 'dtEventTimeStamp',
  messageField: 'log',
  fields: [
    { name: 'host', type: 'keyword' },
    { name: 'latency', type: 'double' },
    { name: 'seenAt', type: 'date' },
  ],
  sortFields: [],
  retentionDays: 1,
  desensitizeRules: [],
  createdAt: '',
  createdBy: '',
};

const rows: LogRow[] = [
  { id: '1', indexSetId: 3, ts: 1_767_225_600_000, ingestedAt: 0, message: 'a "quoted"\nline', fields: { host: 'h1', latency: 1.5, seenAt: 1_767_225_600_123 } },
  { id: '2', indexSetId: 3, ts: 1_767_225_601_000, ingestedAt: 0, message: '中文 \u2028 \\ tab\t', fields: { host: null } },
  { id: '3', indexSetId: 3, ts: 1_767_225_602_000, ingestedAt: 0, message: '', fields: { latency: Number.NaN, seenAt: 'not-a-number' } },
];

const expectedObjects = (zone: string): unknown[] =>
  rows.map((r) => ({
    dtEventTimeStamp: DateTime.fromMillis(r.ts, { zone }).toISO(),
    log: r.message,
    host: r.fields.host ?? null,
    latency: typeof r.fields.latency === 'number' && Number.isFinite(r.fields.latency) ? r.fields.latency : null,
    seenAt: typeof r.fields.seenAt === 'number' ? DateTime.fromMillis(r.fields.seenAt, { zone }).toISO() : (r.fields.seenAt ?? null),
  }));

async function text(format: 'log' | 'json', input: LogRow[], timeZone = 'UTC'): Promise<string> {
  const encoder = createRowEncoder(format, { columns: resolveExportColumns(indexSet), timeZone });
  let out = '';
  for await (const chunk of encodeRows(encoder, [input], 64)) out += chunk.toString('utf8');
  return out;
}

describe('log (NDJSON) format', () => {
  it('writes one JSON object per line with the exported fields', async () => {
    const out = await text('log', rows, 'America/New_York');
    expect(out.endsWith('\n')).toBe(true);
    const lines = out.slice(0, -1).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(expectedObjects('America/New_York'));
    expect(Object.keys(JSON.parse(lines[0]!) as object)).toEqual(['dtEventTimeStamp', 'log', 'host', 'latency', 'seenAt']);
  });

  it('keeps non-ASCII as is (bk-log ensure_ascii=False)', async () => {
    expect(await text('log', [rows[1]!])).toContain('中文');
  });

  it('round-trips strings that need escaping, including lone surrogates and control characters', async () => {
    const tricky = ['\u0000nul', 'back\\slash', 'q"uote', 'lone \ud800 high', 'lone \udc00 low', 'pair 🚀', '\u007f del', '\r\n\t'];
    const input = tricky.map((message, i) => ({ ...rows[0]!, id: String(i), message }));
    const out = await text('log', input);
    const back = out.slice(0, -1).split('\n').map((l) => (JSON.parse(l) as { log: string }).log);
    expect(back).toEqual(tricky);
    expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out); // well-formed: survives UTF-8 encoding
  });

  it('is an empty file for zero rows', async () => {
    expect(await text('log', [])).toBe('');
  });
});

describe('json format', () => {
  it('is one valid JSON array', async () => {
    expect(JSON.parse(await text('json', rows, 'Asia/Kolkata'))).toEqual(expectedObjects('Asia/Kolkata'));
  });

  it('is valid for 0 and 1 rows', async () => {
    expect(JSON.parse(await text('json', []))).toEqual([]);
    expect(JSON.parse(await text('json', [rows[0]!]))).toEqual(expectedObjects('UTC').slice(0, 1));
  });

  it('keeps only the requested fields in the requested order', async () => {
    const encoder = createRowEncoder('json', { columns: resolveExportColumns(indexSet, ['host', 'id']) });
    expect(JSON.parse(`[${encoder.row(rows[0]!, 0).slice(1)}]`)).toEqual([{ host: 'h1', id: '1' }]);
  });
});

describe('format registry and columns', () => {
  it('has a factory for every format with its extension', () => {
    expect(Object.keys(FORMAT_REGISTRY).sort()).toEqual([...EXPORT_FORMATS].sort());
    expect(FORMAT_REGISTRY.csv.extension).toBe('csv');
    expect(FORMAT_REGISTRY.log.extension).toBe('log');
    expect(FORMAT_REGISTRY.json.extension).toBe('json');
  });

  it('defaults to time, message, then declared fields, without repeating declared time/message', () => {
    const withDeclaredTime: IndexSet = {
      ...indexSet,
      fields: [{ name: 'dtEventTimeStamp', type: 'date' }, { name: 'log', type: 'text' }, { name: 'host', type: 'keyword' }],
    };
    expect(resolveExportColumns(withDeclaredTime)).toEqual([
      { name: 'dtEventTimeStamp', source: 'time', isDate: true },
      { name: 'log', source: 'message', isDate: false },
      { name: 'host', source: 'field', isDate: false },
    ]);
    expect(resolveExportColumns(indexSet, ['ingestedAt', 'id'])).toEqual([
      { name: 'ingestedAt', source: 'ingestedAt', isDate: true },
      { name: 'id', source: 'id', isDate: false },
    ]);
  });

  it('rejects unknown and duplicate fields before writing', () => {
    expect(() => resolveExportColumns(indexSet, ['host', 'nope'])).toThrow(expect.objectContaining({ code: 'UNKNOWN_FIELD' }));
    expect(() => resolveExportColumns(indexSet, ['host', 'host'])).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('rejects an unknown time zone when the encoder is created', () => {
    expect(() => createRowEncoder('log', { columns: [], timeZone: 'Nowhere/Land' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});
