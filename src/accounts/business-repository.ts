import type { Kysely, Selectable } from 'kysely';
import type { AccountsTables, BusinessesTable } from './accounts-tables.ts';
import type { Business, User } from './account-types.ts';
import { toUser } from './user-repository.ts';

function toBusiness(row: Selectable<BusinessesTable>): Business {
  return { bkBizId: row.bk_biz_id, name: row.name, createdAt: row.created_at };
}

/** Businesses and user ↔ business membership. */
export class BusinessRepository {
  constructor(private readonly db: Kysely<AccountsTables>) {}

  async insert(biz: Business): Promise<Business> {
    const row = await this.db.insertInto('businesses')
      .values({ bk_biz_id: biz.bkBizId, name: biz.name, created_at: biz.createdAt })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toBusiness(row);
  }

  async find(bkBizId: number): Promise<Business | undefined> {
    const row = await this.db.selectFrom('businesses').selectAll().where('bk_biz_id', '=', bkBizId).executeTakeFirst();
    return row === undefined ? undefined : toBusiness(row);
  }

  /** All businesses, or only those in `only` (a member's list). */
  async list(only?: readonly number[]): Promise<Business[]> {
    if (only !== undefined && only.length === 0) return [];
    let q = this.db.selectFrom('businesses').selectAll().orderBy('bk_biz_id');
    if (only !== undefined) q = q.where('bk_biz_id', 'in', [...only]);
    return (await q.execute()).map(toBusiness);
  }

  /** Adds a membership; adding an existing one is a no-op. */
  async addMember(userId: number, bkBizId: number, createdAt: string): Promise<void> {
    await this.db.insertInto('business_members')
      .values({ user_id: userId, bk_biz_id: bkBizId, created_at: createdAt })
      .onConflict((oc) => oc.columns(['user_id', 'bk_biz_id']).doNothing())
      .execute();
  }

  async removeMember(userId: number, bkBizId: number): Promise<boolean> {
    const res = await this.db.deleteFrom('business_members')
      .where('user_id', '=', userId).where('bk_biz_id', '=', bkBizId)
      .executeTakeFirst();
    return res.numDeletedRows > 0n;
  }

  async bizIdsOf(userId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('business_members').select('bk_biz_id')
      .where('user_id', '=', userId).orderBy('bk_biz_id').execute();
    return rows.map((r) => r.bk_biz_id);
  }

  async membersOf(bkBizId: number): Promise<User[]> {
    const rows = await this.db.selectFrom('business_members')
      .innerJoin('users', 'users.id', 'business_members.user_id')
      .selectAll('users')
      .where('business_members.bk_biz_id', '=', bkBizId)
      .orderBy('users.id')
      .execute();
    return rows.map(toUser);
  }
}
