import type { Command } from 'commander';
import { systemPrincipal } from '../../accounts/principal.ts';
import { checkTimeZone, parseTimeParam } from '../../http/time-param.ts';
import { FILTER_OPERATORS, type FieldFilter, type FilterOperator, type SearchRequest, type SortOrder } from '../../store/search-request.ts';
import { AppError } from '../../shared/app-error.ts';
import { positiveInt, withContext } from '../cli-context.ts';

// Longest operators first so `>=` is not read as `>`.
const OPS_BY_LENGTH = [...FILTER_OPERATORS].sort((a, b) => b.length - a.length);

/** `level is error`, `latency_ms >= 500`, `host "is one of" a,b` → a filter. */
export function parseFilter(raw: string): FieldFilter {
  for (const op of OPS_BY_LENGTH) {
    const at = raw.indexOf(` ${op} `);
    if (at > 0) {
      const field = raw.slice(0, at).trim();
      const value = raw.slice(at + op.length + 2).trim();
      return { field, operator: op as FilterOperator, value: op === 'is one of' ? value.split(',').map((v) => v.trim()) : value };
    }
  }
  throw new AppError('VALIDATION_FAILED', `Bad --filter "${raw}": use "<field> <operator> <value>" with operator one of ${FILTER_OPERATORS.join(', ')}`);
}

function parseSort(raw: string): [string, SortOrder] {
  const [field, order = 'asc'] = raw.split(':');
  if (field === undefined || field === '' || (order !== 'asc' && order !== 'desc')) {
    throw new AppError('VALIDATION_FAILED', `Bad --sort "${raw}": use field:asc or field:desc`);
  }
  return [field, order];
}

interface SearchFlags {
  indexSet: string;
  start: string;
  end: string;
  query?: string;
  filter: string[];
  sort: string[];
  size: string;
  timeZone: string;
  json?: boolean;
}

export function registerSearchCommand(program: Command): void {
  program
    .command('search')
    .description('search an index set (prints one row per line, newest first by default)')
    .requiredOption('--index-set <id>', 'index set id')
    .requiredOption('--start <time>', 'start: epoch ms, ISO-8601 or "YYYY-MM-DD HH:mm:ss"')
    .requiredOption('--end <time>', 'end (inclusive)')
    .option('-q, --query <query>', 'Lucene-like query, e.g. level:error AND "time out"')
    .option('--filter <expr>', 'extra filter "<field> <op> <value>" (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--sort <field:order>', 'sort (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--size <n>', 'rows to print', '20')
    .option('--time-zone <zone>', 'zone of zone-less --start/--end', 'UTC')
    .option('--json', 'print rows as NDJSON')
    .action(async (o: SearchFlags, cmd: Command) => {
      const zone = checkTimeZone(o.timeZone);
      const request: SearchRequest = {
        startTime: parseTimeParam('--start', o.start, zone),
        endTime: parseTimeParam('--end', o.end, zone),
        size: positiveInt('--size', o.size),
        ...(o.query === undefined ? {} : { query: o.query }),
        ...(o.filter.length === 0 ? {} : { addition: o.filter.map(parseFilter) }),
        ...(o.sort.length === 0 ? {} : { sortList: o.sort.map(parseSort) }),
      };
      await withContext(cmd, async (ctx) => {
        const { result } = await ctx.logs.search(systemPrincipal(), positiveInt('--index-set', o.indexSet), request);
        for (const { row } of result.hits) {
          process.stdout.write(o.json === true ? `${JSON.stringify(row)}\n` : `${new Date(row.ts).toISOString()} ${row.message}\n`);
        }
        process.stderr.write(`${result.hits.length} shown of ${result.total}${result.totalIsExact ? '' : '+'} matching rows\n`);
      });
    });
}
