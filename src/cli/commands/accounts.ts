import type { Command } from 'commander';
import { buildLoginUrl } from '../../accounts/build-login-url.ts';
import { positiveInt, printJson, withContext } from '../cli-context.ts';

/** Users, tokens and businesses on the local store (operator commands; no network auth). */
export function registerAccountCommands(program: Command): void {
  const users = program.command('user').description('manage users and their API tokens');
  users
    .command('create <username>')
    .option('--admin', 'give the admin role')
    .action(async (username: string, o: { admin?: boolean }, cmd: Command) => {
      await withContext(cmd, async (ctx) => printJson(await ctx.accounts.createUser({ username, role: o.admin === true ? 'admin' : 'user' })));
    });
  users.command('list').action(async (_o, cmd: Command) => {
    await withContext(cmd, async (ctx) => {
      for (const u of await ctx.accounts.listUsers()) process.stdout.write(`${u.id}\t${u.username}\t${u.role}${u.disabled ? '\tdisabled' : ''}\n`);
    });
  });
  users
    .command('token <username>')
    .description('create an API token (printed once)')
    .option('--name <name>', 'token name', 'cli')
    .option('--days <n>', 'expires after this many days (default: never)')
    .action(async (username: string, o: { name: string; days?: string }, cmd: Command) => {
      await withContext(cmd, async (ctx) => {
        const user = await ctx.accounts.getUser(username);
        const expiresAt = o.days === undefined ? null : new Date(Date.now() + positiveInt('--days', o.days) * 86_400_000);
        const created = await ctx.accounts.createToken(user.id, { name: o.name, expiresAt });
        process.stdout.write(`${created.token}\n`);
      });
    });
  users
    .command('login-link <username>')
    .description('print a one-time login URL (valid 1 hour), e.g. to recover admin access')
    .action(async (username: string, _o, cmd: Command) => {
      await withContext(cmd, async (ctx) => {
        const user = await ctx.accounts.getUser(username);
        process.stdout.write(`${buildLoginUrl(ctx.config.publicUrl, await ctx.accounts.createLoginToken(user.id))}\n`);
      });
    });

  const biz = program.command('biz').description('manage businesses (bk_biz_id) and membership');
  biz.command('create <bk_biz_id> <name>').action(async (id: string, name: string, _o, cmd: Command) => {
    await withContext(cmd, async (ctx) => printJson(await ctx.accounts.createBusiness({ bkBizId: positiveInt('bk_biz_id', id), name })));
  });
  biz.command('list').action(async (_o, cmd: Command) => {
    await withContext(cmd, async (ctx) => {
      for (const b of await ctx.accounts.listBusinesses()) process.stdout.write(`${b.bkBizId}\t${b.name}\n`);
    });
  });
  biz.command('add-member <bk_biz_id> <username>').action(async (id: string, username: string, _o, cmd: Command) => {
    await withContext(cmd, async (ctx) => {
      const user = await ctx.accounts.getUser(username);
      await ctx.accounts.addMembership(user.id, positiveInt('bk_biz_id', id));
      process.stdout.write(`${username} is a member of business ${id}\n`);
    });
  });
}
