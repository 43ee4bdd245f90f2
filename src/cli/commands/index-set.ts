import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemPrincipal } from '../../accounts/principal.ts';
import { FIELD_TYPES, type FieldDef } from '../../store/index-set.ts';
import { AppError } from '../../shared/app-error.ts';
import { positiveInt, printJson, withContext } from '../cli-context.ts';

/** `level:keyword,latency:long` → field definitions; the service validates the rest. */
export function parseFieldList(raw: string): FieldDef[] {
  return raw.split(',').filter((s) => s.trim() !== '').map((spec) => {
    const [name, type = 'keyword'] = spec.split(':').map((s) => s.trim());
    if (name === undefined || name === '' || !(FIELD_TYPES as readonly string[]).includes(type)) {
      throw new AppError('VALIDATION_FAILED', `Bad field "${spec}": use name:type with type one of ${FIELD_TYPES.join(', ')}`);
    }
    return { name, type: type as FieldDef['type'] };
  });
}

function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `Cannot read ${path} as JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** Index sets on the local store; the CLI acts as the system administrator. */
export function registerIndexSetCommands(program: Command): void {
  const group = program.command('index-set').description('create, list, show and delete index sets');
  group
    .command('create')
    .description('create an index set (from flags or --file JSON)')
    .option('--file <json>', 'index set definition as JSON (same shape as the API body)')
    .option('--name <name>')
    .option('--biz <bk_biz_id>', 'business id')
    .option('--time-field <name>', 'timestamp field name', 'dtEventTimeStamp')
    .option('--message-field <name>', 'message field name', 'log')
    .option('--fields <list>', 'declared fields, e.g. level:keyword,latency_ms:long', '')
    .option('--sort <fields>', 'export sort fields, comma-separated')
    .option('--retention-days <n>', 'days rows are kept', '30')
    .action(async (o: Record<string, string | undefined>, cmd: Command) => {
      const input = o.file !== undefined ? readJsonFile(o.file) : {
        name: o.name,
        bkBizId: o.biz === undefined ? undefined : positiveInt('--biz', o.biz),
        timeField: o.timeField,
        messageField: o.messageField,
        fields: parseFieldList(o.fields ?? ''),
        ...(o.sort === undefined ? {} : { sortFields: o.sort.split(',').map((s) => s.trim()) }),
        retentionDays: positiveInt('--retention-days', o.retentionDays ?? '30'),
      };
      await withContext(cmd, async (ctx) => printJson(await ctx.indexSets.create(systemPrincipal(), input)));
    });
  group.command('list').description('list index sets').action(async (_o, cmd: Command) => {
    await withContext(cmd, async (ctx) => {
      for (const s of await ctx.indexSets.list(systemPrincipal())) {
        process.stdout.write(`${s.id}\t${s.bkBizId}\t${s.name}\t${s.fields.map((f) => f.name).join(',')}\n`);
      }
    });
  });
  group.command('show <id>').description('show one index set as JSON').action(async (id: string, _o, cmd: Command) => {
    await withContext(cmd, async (ctx) => printJson(await ctx.indexSets.get(systemPrincipal(), positiveInt('id', id))));
  });
  group.command('delete <id>').description('delete an index set and its rows').action(async (id: string, _o, cmd: Command) => {
    await withContext(cmd, async (ctx) => {
      const rows = await ctx.logs.deleteIndexSet(systemPrincipal(), positiveInt('id', id));
      process.stdout.write(`deleted index set ${id} and ${rows} rows\n`);
    });
  });
}
