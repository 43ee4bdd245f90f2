import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import type { IndexSet } from '../store/index-set.ts';
import type { NewLogRow } from '../store/log-row.ts';
import type { LogStore } from '../store/log-store.ts';
import { ingest, type IngestOptions, type IngestProgress } from './ingest-service.ts';

/**
 * A recording fake: enough of LogStore for ingest (only `append` is used). The real stores are
 * covered by their own conformance suite; here we check exactly what ingest hands over.
 */
class RecordingStore implements LogStore {
  readonly kind = 'recording';
  readonly appends: NewLogRow[][] = [];
  private nextId = 100;
  async append(_indexSet: IndexSet, rows: NewLogRow[]): Promise<{ firstId: string; lastId: string } | null> {
    if (rows.length === 0) return null;
    this.appends.push(rows);
    const firstId = String(this.nextId);
    this.nextId += rows.length;
    return { firstId, lastId: String(this.nextId - 1) };
  }
  get rows(): NewLogRow[] {
    return this.appends.flat();
  }
  search(): never { throw new Error('not used by ingest'); }
  count(): never { throw new Error('not used by ingest'); }
  stream(): never { throw new Error('not used by ingest'); }
  maxId(): never { throw new Error('not used by ingest'); }
  deleteRows(): never { throw new Error('not used by ingest'); }
  async close(): Promise<void> {}
}

const indexSet: IndexSet = {
  id: 5, name: 'web', bkBizId: 2, timeField: 'time', messageField: 'msg',
  fields: [{ name: 'level', type: 'keyword' }, { name: 'status', type: 'long' }],
  sortFields: [], retentionDays: 7, desensitizeRules: [], createdAt: '2026-11-01T00:00:00Z', createdBy: 'admin',
};
const ndjson: IngestOptions = { format: 'ndjson', timeZone: 'UTC' };
const T0 = 1794823872000; // 2026-11-16T10:11:12Z

/** Yields the buffer in fixed-size pieces, so boundaries fall inside lines, CRLFs and multi-byte characters. */
function chunked(data: Buffer | string, size: number): Readable {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}
const line = (sec: number, msg: string, extra = ''): string => `{"time":${T0 / 1000 + sec},"msg":"${msg}"${extra}}`;

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ingest-test-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('ingest', () => {
  it('handles a BOM, CRLF, a blank line, a final line without newline and multi-byte text split across chunks', async () => {
    const text = `\uFEFF${line(0, 'café ☕', ',"level":"info"')}\r\n\r\n${line(1, 'b', ',"status":"201"')}\r\n${line(2, 'ç')}`;
    for (const size of [1, 3, 1000]) {
      const store = new RecordingStore();
      const result = await ingest(store, indexSet, chunked(text, size), ndjson);
      expect(store.rows).toEqual([
        { ts: T0, message: 'café ☕', fields: { level: 'info' } },
        { ts: T0 + 1000, message: 'b', fields: { status: 201 } },
        { ts: T0 + 2000, message: 'ç', fields: {} },
      ]);
      expect(result).toMatchObject({ lines: 4, accepted: 3, rejected: 0, blankLines: 1, badLines: [], firstId: '100', lastId: '102' });
      expect(result.bytes).toBe(Buffer.byteLength(text));
    }
  });

  it('reports bad lines with their line numbers and writes the good ones', async () => {
    const text = [line(0, 'a'), '{oops', line(1, 'b'), '', '[1]', line(2, 'c', ',"status":"x"'), '{"msg":"no time"}'].join('\n');
    const store = new RecordingStore();
    const result = await ingest(store, indexSet, chunked(text, 5), ndjson);
    expect(store.rows.map((r) => r.message)).toEqual(['a', 'b']);
    expect(result.accepted).toBe(2);
    expect(result.rejected).toBe(4);
    expect(result.badLines.map((b) => b.lineNo)).toEqual([2, 5, 6, 7]);
    expect(result.badLines[1]).toEqual({ lineNo: 5, reason: 'expected a JSON object, got an array' });
    expect(result.badLines[2]).toEqual({ lineNo: 6, reason: 'field status: expected long, got "x"' });
    expect(result.badLines[3]).toEqual({ lineNo: 7, reason: 'missing time field (time, @timestamp, timestamp, ts)' });
  });

  it('caps the bad-line samples but counts every bad line', async () => {
    const text = Array.from({ length: 10 }, (_, i) => `bad ${i}`).join('\n');
    const result = await ingest(new RecordingStore(), indexSet, chunked(text, 64), { ...ndjson, maxBadLineSamples: 3 });
    expect(result.rejected).toBe(10);
    expect(result.badLines.map((b) => b.lineNo)).toEqual([1, 2, 3]);
  });

  it('reads gzip input detected by its magic bytes, even split into 1-byte chunks', async () => {
    const text = `${line(0, 'x')}\n${line(1, 'y')}\n`;
    const gz = gzipSync(Buffer.from(text));
    const store = new RecordingStore();
    const result = await ingest(store, indexSet, chunked(gz, 1), ndjson);
    expect(store.rows.map((r) => [r.ts, r.message])).toEqual([[T0, 'x'], [T0 + 1000, 'y']]);
    expect(result.bytes).toBe(gz.length);
    expect(result.textBytes).toBe(Buffer.byteLength(text));
  });

  it('fails with VALIDATION_FAILED on corrupt gzip', async () => {
    const gz = gzipSync(Buffer.from(`${line(0, 'x')}\n`.repeat(50)));
    const corrupt = Buffer.concat([gz.subarray(0, 20), Buffer.alloc(40, 0xff)]);
    const err = await ingest(new RecordingStore(), indexSet, chunked(corrupt, 16), ndjson).catch((e: unknown) => e);
    expect(isAppError(err, 'VALIDATION_FAILED')).toBe(true);
  });

  it('accepts an async iterable of text chunks (not lines)', async () => {
    async function* gen(): AsyncGenerator<string> {
      yield `${line(0, 'p')}\n{"time":`;
      yield `${T0 / 1000},"msg":"q"}\n`;
    }
    const store = new RecordingStore();
    await ingest(store, indexSet, gen(), ndjson);
    expect(store.rows.map((r) => r.message)).toEqual(['p', 'q']);
  });

  it('rejects over-long lines by size without losing the lines around them', async () => {
    const long = `{"time":${T0 / 1000},"msg":"${'z'.repeat(200)}"}`;
    const text = `${line(0, 'a')}\n${long}\n${line(1, 'b')}\n${long}`;
    const store = new RecordingStore();
    const result = await ingest(store, indexSet, chunked(text, 7), { ...ndjson, maxLineBytes: 100 });
    expect(store.rows.map((r) => r.message)).toEqual(['a', 'b']);
    expect(result.badLines).toEqual([
      { lineNo: 2, reason: `line is ${long.length} bytes, over the 100-byte limit` },
      { lineNo: 4, reason: `line is ${long.length} bytes, over the 100-byte limit` },
    ]);
  });

  it('appends in batches of batchSize and reports progress', async () => {
    const text = Array.from({ length: 5 }, (_, i) => line(i, `m${i}`)).join('\n');
    const store = new RecordingStore();
    const progress: IngestProgress[] = [];
    const result = await ingest(store, indexSet, chunked(text, 1000), { ...ndjson, batchSize: 2, onProgress: (p) => progress.push(p) });
    expect(store.appends.map((a) => a.length)).toEqual([2, 2, 1]);
    expect(result).toMatchObject({ firstId: '100', lastId: '104', accepted: 5 });
    expect(progress.map((p) => p.accepted)).toContain(2);
    expect(progress.at(-1)).toEqual({ lines: 5, accepted: 5, rejected: 0, bytes: Buffer.byteLength(text) });
  });

  it('refuses an unknown format or a bad batch size before reading anything', async () => {
    const input = chunked(line(0, 'a'), 10);
    const bad = { ...ndjson, format: 'xml' } as unknown as IngestOptions;
    expect(isAppError(await ingest(new RecordingStore(), indexSet, input, bad).catch((e: unknown) => e), 'VALIDATION_FAILED')).toBe(true);
    const zero = await ingest(new RecordingStore(), indexSet, input, { ...ndjson, batchSize: 0 }).catch((e: unknown) => e);
    expect(isAppError(zero, 'VALIDATION_FAILED')).toBe(true);
    const when = { ...ndjson, defaultTime: 'yesterday' } as unknown as IngestOptions;
    expect(isAppError(await ingest(new RecordingStore(), indexSet, input, when).catch((e: unknown) => e), 'VALIDATION_FAILED')).toBe(true);
    const zone = await ingest(new RecordingStore(), indexSet, input, { ...ndjson, timeZone: 'Asia/Atlantis' }).catch((e: unknown) => e);
    expect(isAppError(zone, 'VALIDATION_FAILED')).toBe(true);
  });
});

describe('ingest in strict mode (rejectOnBadLines)', () => {
  const strict: IngestOptions = { ...ndjson, rejectOnBadLines: true };

  it('writes nothing when any line is bad, and still reports every bad line', async () => {
    const text = [line(0, 'a'), line(1, 'b'), 'not json', line(2, 'c'), '{}'].join('\n');
    const store = new RecordingStore();
    const result = await ingest(store, indexSet, chunked(text, 4), { ...strict, tempDir: scratch, batchSize: 1 });
    expect(store.appends).toEqual([]);
    expect(result).toMatchObject({ accepted: 0, rejected: 2, notWritten: 3, firstId: null, lastId: null });
    expect(result.badLines.map((b) => b.lineNo)).toEqual([3, 5]);
  });

  it('a bad last line (no newline) also blocks the write', async () => {
    const store = new RecordingStore();
    const result = await ingest(store, indexSet, chunked(`${line(0, 'a')}\n{"time":1`, 3), { ...strict, tempDir: scratch });
    expect(store.appends).toEqual([]);
    expect(result.badLines.map((b) => b.lineNo)).toEqual([2]);
  });

  it('writes everything in order when all lines are good, spilling to a temp file past strictMemoryRows', async () => {
    const text = Array.from({ length: 7 }, (_, i) => line(i, `m${i}`, i % 2 ? ',"level":"warn","status":500' : '')).join('\n');
    const store = new RecordingStore();
    const result = await ingest(store, indexSet, chunked(text, 9), { ...strict, tempDir: scratch, batchSize: 3, strictMemoryRows: 2 });
    expect(store.rows).toEqual(Array.from({ length: 7 }, (_, i) => ({
      ts: T0 + i * 1000, message: `m${i}`, fields: i % 2 ? { level: 'warn', status: 500 } : {},
    })));
    expect(store.appends.map((a) => a.length)).toEqual([3, 3, 1]);
    expect(result).toMatchObject({ accepted: 7, rejected: 0, firstId: '100', lastId: '106' });
    expect(await readdir(scratch)).toEqual([]);
  });
});

describe('ingest options', () => {
  it('defaultTime now gives time-less lines the reference time and counts them', async () => {
    const store = new RecordingStore();
    const text = `${line(0, 'timed')}\n{"msg":"untimed"}\n{"time":"garbled","msg":"bad time"}\n`;
    const result = await ingest(store, indexSet, chunked(text, 8), { ...ndjson, defaultTime: 'now', referenceTime: 1234 });
    expect(store.rows).toEqual([
      { ts: T0, message: 'timed', fields: {} },
      { ts: 1234, message: 'untimed', fields: {} },
      { ts: 1234, message: 'bad time', fields: {} },
    ]);
    expect(result).toMatchObject({ accepted: 3, rejected: 0, defaultedTime: 2 });
  });

  it('strict mode also refuses input with an over-long line', async () => {
    const store = new RecordingStore();
    const text = `${line(0, 'a')}\n${line(1, 'x'.repeat(500))}\n${line(2, 'b')}\n`;
    const result = await ingest(store, indexSet, chunked(text, 64), { ...ndjson, rejectOnBadLines: true, maxLineBytes: 200, tempDir: scratch });
    expect(store.appends).toEqual([]);
    expect(result).toMatchObject({ accepted: 0, rejected: 1, notWritten: 2 });
    expect(result.badLines[0]?.lineNo).toBe(2);
  });

  it('parses raw and logfmt input end to end with their own options', async () => {
    const rawStore = new RecordingStore();
    await ingest(rawStore, indexSet, chunked('2026-11-16 18:11:12 WARN disk almost full\n', 5), {
      format: 'raw', headerFormat: '<Date> <Time> <Level> <Content>', timeZone: 'Asia/Shanghai',
    });
    expect(rawStore.rows).toEqual([{ ts: T0, message: 'disk almost full', fields: { level: 'WARN' } }]);
    const logfmtStore = new RecordingStore();
    await ingest(logfmtStore, indexSet, chunked('at=1794823872 text="hello there" status=404\n', 5), {
      format: 'logfmt', timeZone: 'UTC', mapping: { time: 'at', message: 'text' },
    });
    expect(logfmtStore.rows).toEqual([{ ts: T0, message: 'hello there', fields: { status: 404 } }]);
  });
});

describe('ingest input shapes and failures', () => {
  it('takes a whole body as a string or a buffer', async () => {
    const body = `${line(0, 'a')}\n${line(1, 'b')}`;
    for (const input of [body, Buffer.from(body), gzipSync(body)]) {
      const store = new RecordingStore();
      await ingest(store, indexSet, input, ndjson);
      expect(store.rows.map((r) => r.message)).toEqual(['a', 'b']);
    }
  });

  it('surfaces a store failure instead of hanging, for plain and gzip input', async () => {
    const failing = new RecordingStore();
    failing.append = async () => {
      throw new Error('disk full');
    };
    const body = Array.from({ length: 50 }, (_, i) => line(i, `m${i}`)).join('\n');
    for (const input of [chunked(body, 100), chunked(gzipSync(body), 100)]) {
      await expect(ingest(failing, indexSet, input, { ...ndjson, batchSize: 10 })).rejects.toThrow('disk full');
    }
  });
});
