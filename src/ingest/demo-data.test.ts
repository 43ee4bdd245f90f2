import { createReadStream, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { IndexSet } from '../store/index-set.ts';
import type { NewLogRow } from '../store/log-row.ts';
import type { LogStore } from '../store/log-store.ts';
import type { FieldMapping, IngestFormat } from './ingest-format.ts';
import { ingest } from './ingest-service.ts';

/** The bundled demo (demo/index-sets.json + gzipped logs) must load with zero bad lines. */
const demoDir = fileURLToPath(new URL('../../demo/', import.meta.url));

interface DemoIndexSet extends Omit<IndexSet, 'id' | 'createdAt' | 'createdBy'> {
  ingest: { file: string; format: IngestFormat; headerFormat?: string; timeZone: string; timeFormat?: string; mapping?: FieldMapping };
}
const demo = JSON.parse(readFileSync(`${demoDir}index-sets.json`, 'utf8')) as { baseDate: string; indexSets: DemoIndexSet[] };
const base = Date.parse(demo.baseDate);

/** Collects rows; only `append` is called by ingest. */
function collectingStore(rows: NewLogRow[]): LogStore {
  const unused = (): never => {
    throw new Error('not used by ingest');
  };
  return {
    kind: 'collect',
    async append(_set, batch) {
      rows.push(...batch);
      return { firstId: String(rows.length - batch.length + 1), lastId: String(rows.length) };
    },
    search: unused, count: unused, stream: unused, maxId: unused, deleteRows: unused,
    async close() {},
  };
}

async function load(def: DemoIndexSet, id: number): Promise<{ rows: NewLogRow[]; text: string; rejected: number; accepted: number }> {
  const indexSet: IndexSet = { ...def, id, createdAt: demo.baseDate, createdBy: 'demo' };
  const rows: NewLogRow[] = [];
  const { ingest: spec } = def;
  const result = await ingest(collectingStore(rows), indexSet, createReadStream(`${demoDir}${spec.file}`), { ...spec, referenceTime: base });
  expect(result.badLines).toEqual([]);
  return { rows, text: gunzipSync(readFileSync(`${demoDir}${spec.file}`)).toString('utf8'), rejected: result.rejected, accepted: result.accepted };
}

describe('demo data', () => {
  it('stays under the 2 MB budget', () => {
    const total = demo.indexSets.reduce((s, d) => s + statSync(`${demoDir}${d.ingest.file}`).size, 0);
    expect(total).toBeLessThan(2 * 1024 * 1024);
  });

  it.each(demo.indexSets.map((d, i) => [d.name, d, i + 1] as const))('%s loads every line, within the 7 days before the base date', async (_name, def, id) => {
    const { rows, text, rejected, accepted } = await load(def, id);
    const lineCount = text.split('\n').length - 1; // every file ends with a newline
    expect(rejected).toBe(0);
    expect(accepted).toBe(lineCount);
    expect(lineCount).toBeGreaterThan(5000);
    const outside = rows.filter((r) => r.ts < base - 7 * 86_400_000 || r.ts >= base);
    expect(outside).toEqual([]);
    for (const f of def.fields) {
      const wrong = rows.filter((r) => {
        const v = r.fields[f.name];
        if (v === undefined || v === null) return false;
        return f.type === 'long' ? !Number.isInteger(v) : f.type === 'double' ? typeof v !== 'number' : typeof v !== 'string';
      });
      expect(wrong, f.name).toEqual([]);
    }
  });

  it('reads the web shop wall-clock time as Asia/Shanghai', async () => {
    const def = demo.indexSets.find((d) => d.name === 'demo-web-shop') as DemoIndexSet;
    const { rows, text } = await load(def, 1);
    const first = text.slice(0, text.indexOf('\n'));
    const m = /^(\S+) (\S+),(\d{3}) (\w+) \[([\w-]+)\] ([\w.]+): /.exec(first);
    expect(m).not.toBeNull();
    const [, date, time, ms, level, host, component] = m as unknown as string[];
    expect(rows[0]).toEqual({
      ts: Date.parse(`${date}T${time}.${ms}+08:00`),
      message: first.slice((m as RegExpExecArray)[0].length),
      fields: { level, host, component },
    });
  });
});
