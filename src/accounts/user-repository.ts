import type { Kysely, Selectable } from 'kysely';
import type { AccountsTables, UsersTable } from './accounts-tables.ts';
import type { User } from './account-types.ts';
import type { Role } from './principal.ts';

export function toUser(row: Selectable<UsersTable>): User {
  return { id: row.id, username: row.username, role: row.role as Role, createdAt: row.created_at, disabled: row.disabled_at !== null };
}

/** Users table access; no rules here (the service validates), just one query path for both dialects. */
export class UserRepository {
  constructor(private readonly db: Kysely<AccountsTables>) {}

  async insert(user: { username: string; role: Role; createdAt: string }): Promise<User> {
    const row = await this.db.insertInto('users')
      .values({ username: user.username, role: user.role, created_at: user.createdAt, disabled_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(row);
  }

  async findById(id: number): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  async findByUsername(username: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  async list(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('id').execute();
    return rows.map(toUser);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Sets or clears `disabled_at`; false when the user does not exist. */
  async setDisabledAt(id: number, at: string | null): Promise<boolean> {
    const res = await this.db.updateTable('users').set({ disabled_at: at }).where('id', '=', id).executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  async setRole(id: number, role: Role): Promise<boolean> {
    const res = await this.db.updateTable('users').set({ role }).where('id', '=', id).executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }
}
