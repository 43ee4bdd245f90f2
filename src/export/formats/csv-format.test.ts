import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { IndexSet } from '../../store/index-set.ts';
import type { LogRow } from '../../store/log-row.ts';
import { createCsvEncoder, quoteCsvField } from './csv-format.ts';
import { encodeRows } from './encode-stream.ts';
import { resolveExportColumns } from './export-columns.ts';

const indexSet: IndexSet = {
  id: 7,
  name: 'app',
  bkBizId: 2,
  timeField: 'dtEventTimeStamp',
  messageField: 'log',
  fields: [
    { name: 'serverIp', type: 'keyword' },
    { name: 'gseIndex', type: 'long' },
    { name: 'ok', type: 'boolean' },
  ],
  sortFields: ['dtEventTimeStamp'],
  retentionDays: 7,
  desensitizeRules: [],
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'admin',
};

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
const mkRow = (i: number, message: string, fields: LogRow['fields'] = {}): LogRow => ({
  id: String(i),
  indexSetId: 7,
  ts: T0 + i,
  ingestedAt: T0 + i + 1,
  message,
  fields,
});

/** Parses CSV with Python's csv module: independent of our writer. */
function pythonCsv(bytes: Buffer): string[][] {
  const script = [
    'import csv, io, json, sys',
    "text = sys.stdin.buffer.read().decode('utf-8')",
    "print(json.dumps(list(csv.reader(io.StringIO(text, newline='')))))",
  ].join('\n');
  const res = spawnSync('python3', ['-c', script], { input: bytes, maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(res.stderr.toString());
  return JSON.parse(res.stdout.toString()) as string[][];
}

async function encode(rows: LogRow[], options: Partial<Parameters<typeof createCsvEncoder>[0]> = {}): Promise<Buffer> {
  const encoder = createCsvEncoder({ columns: resolveExportColumns(indexSet), ...options });
  const chunks: Buffer[] = [];
  for await (const c of encodeRows(encoder, [rows], 128)) chunks.push(c);
  return Buffer.concat(chunks);
}

const NASTY: Array<[string, string]> = [
  // [stored message, cell a spreadsheet must see after formula escaping]
  ['plain text', 'plain text'],
  ['has, comma', 'has, comma'],
  ['say "hi"', 'say "hi"'],
  ['"quoted"', '"quoted"'],
  ['line1\nline2', 'line1\nline2'],
  ['cr\r\nlf', 'cr\r\nlf'],
  ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
  ['+1+2', "'+1+2"],
  ['-2+3', "'-2+3"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['\tTAB', "'\tTAB"],
  ['\rCR', "'\rCR"],
  ['\nLF', "'\nLF"],
  ['=1+2";=1+2', "'=1+2\";=1+2"],
  ['日志 ünïcødé 🚀', '日志 ünïcødé 🚀'],
  ['', ''],
  ['a=b', 'a=b'],
];

describe('csv format', () => {
  it('writes an RFC 4180 file a csv library reads back cell for cell', async () => {
    const rows = NASTY.map(([msg], i) => mkRow(i, msg, { serverIp: `10.0.0.${i}`, gseIndex: i - 3, ok: i % 2 === 0 }));
    const table = pythonCsv(await encode(rows));
    const expected = [
      ['dtEventTimeStamp', 'log', 'serverIp', 'gseIndex', 'ok'],
      ...NASTY.map(([, cell], i) => [
        new Date(T0 + i).toISOString(),
        cell,
        `10.0.0.${i}`,
        String(i - 3), // numbers are not formula-escaped: -3 stays -3
        i % 2 === 0 ? 'true' : 'false',
      ]),
    ];
    expect(table).toEqual(expected);
  });

  it('uses CRLF after every record and quotes only when needed', async () => {
    const out = (await encode([mkRow(0, 'a,b', { serverIp: 'x"y', gseIndex: 1, ok: null })])).toString('utf8');
    expect(out).toBe(
      'dtEventTimeStamp,log,serverIp,gseIndex,ok\r\n' + '2026-01-02T03:04:05.006Z,"a,b","x""y",1,\r\n',
    );
  });

  it('leaves formulas alone when escaping is off', async () => {
    const rows = [mkRow(0, '=HYPERLINK("http://x")', { serverIp: '+1' })];
    const table = pythonCsv(await encode(rows, { formulaEscaping: false }));
    expect(table[1]?.slice(1, 3)).toEqual(['=HYPERLINK("http://x")', '+1']);
  });

  it('counts escaped cells for the manifest', async () => {
    const encoder = createCsvEncoder({ columns: resolveExportColumns(indexSet, ['log', 'serverIp']) });
    encoder.row(mkRow(0, '=x', { serverIp: '@y' }), 0);
    encoder.row(mkRow(1, 'fine', { serverIp: '-z' }), 1);
    expect(encoder.stats().formulaCellsEscaped).toBe(3);
  });

  it('writes a BOM only when asked', async () => {
    const withBom = await encode([mkRow(0, 'x')], { bom: true });
    expect([...withBom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const without = await encode([mkRow(0, 'x')]);
    expect(without.subarray(0, 3).toString()).toBe('dtE');
  });

  it('writes empty cells for missing and null values and the time in the requested zone', async () => {
    const encoder = createCsvEncoder({
      columns: resolveExportColumns(indexSet, ['dtEventTimeStamp', 'serverIp', 'id', 'ingestedAt']),
      timeZone: 'Asia/Shanghai',
    });
    expect(encoder.row(mkRow(5, 'm', {}), 0)).toBe('2026-01-02T11:04:05.011+08:00,,5,2026-01-02T11:04:05.012+08:00\r\n');
  });

  it('is a header-only file for zero rows', async () => {
    expect(pythonCsv(await encode([]))).toEqual([['dtEventTimeStamp', 'log', 'serverIp', 'gseIndex', 'ok']]);
  });

  it('quotes single fields per RFC 4180', () => {
    expect(quoteCsvField('abc')).toBe('abc');
    expect(quoteCsvField('a"b')).toBe('"a""b"');
    expect(quoteCsvField('a\rb')).toBe('"a\rb"');
    expect(quoteCsvField('')).toBe('');
  });
});
