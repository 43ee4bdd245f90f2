import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Loghub-2k loading and the Loghub-2.0 metrics (GA, FGA, PA, FTA; clustering-anchors.md §5),
 * shared by the accuracy benchmark and the golden test.
 */
export interface LoghubSystem {
  name: string;
  contents: string[];
  templates: string[];
}

export interface ParseMetrics {
  GA: number;
  FGA: number;
  PA: number;
  FTA: number;
  templates: number;
  gtTemplates: number;
}

/** The eight systems' folder next to the repo: ../shared/data/loghub-2k. */
export function defaultLoghubRoot(repoRoot: string): string {
  return path.resolve(repoRoot, '../shared/data/loghub-2k');
}

/** Minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function gtFile(root: string, name: string): string {
  const loghub2 = path.join(root, name, 'corrected-loghub2', `${name}_2k.log_structured_corrected.csv`);
  if (existsSync(loghub2)) return loghub2;
  return path.join(root, name, 'corrected-icse22', `${name}_2k.log_structured_corrected.csv`);
}

/** Loads every system folder under root (Loghub-2.0 corrected GT, falling back to ICSE'22 like loghub_eval.py). */
export function loadLoghub(root: string): LoghubSystem[] {
  const out: LoghubSystem[] = [];
  for (const name of readdirSync(root).sort()) {
    if (!statSync(path.join(root, name)).isDirectory()) continue;
    const rows = parseCsv(readFileSync(gtFile(root, name), 'utf8'));
    const header = rows[0] ?? [];
    const ci = header.indexOf('Content');
    const ti = header.indexOf('EventTemplate');
    const data = rows.slice(1).filter((r) => r.length === header.length);
    out.push({ name, contents: data.map((r) => r[ci] ?? ''), templates: data.map((r) => r[ti] ?? '') });
  }
  return out;
}

const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** GA, FGA, PA, FTA of parsed templates against ground truth, grouping by template string. */
export function loghubMetrics(gtAll: readonly string[], parsedAll: readonly string[]): ParseMetrics {
  const keep = gtAll.map((_, i) => i).filter((i) => gtAll[i] !== '');
  const gt = keep.map((i) => gtAll[i] as string);
  const parsed = keep.map((i) => parsedAll[i] as string);
  const gtCount = new Map<string, number>();
  for (const g of gt) gtCount.set(g, (gtCount.get(g) ?? 0) + 1);
  const groups = new Map<string, number[]>();
  parsed.forEach((p, i) => {
    const list = groups.get(p);
    if (list === undefined) groups.set(p, [i]);
    else list.push(i);
  });
  let accEvents = 0;
  let accGroups = 0;
  let correctTemplates = 0;
  for (const [p, ids] of groups) {
    const labels = new Set(ids.map((i) => gt[i]));
    if (labels.size !== 1) continue;
    const g = gt[ids[0] as number] as string;
    if (ids.length === gtCount.get(g)) {
      accEvents += ids.length;
      accGroups++;
    }
    if (g === p) correctTemplates++;
  }
  const n = gt.length;
  const pa = gt.filter((g, i) => g === parsed[i]).length / n;
  return {
    GA: accEvents / n,
    FGA: f1(accGroups / groups.size, accGroups / gtCount.size),
    PA: pa,
    FTA: f1(correctTemplates / groups.size, correctTemplates / gtCount.size),
    templates: groups.size,
    gtTemplates: gtCount.size,
  };
}
