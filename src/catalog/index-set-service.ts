import type { Kysely } from 'kysely';
import { canAccessBiz, type Principal } from '../accounts/principal.ts';
import { isConstraintViolation } from '../accounts/db-errors.ts';
import type { DialectKind } from '../db/database-target.ts';
import { runMigrations } from '../db/run-migrations.ts';
import { AppError } from '../shared/app-error.ts';
import type { IndexSet } from '../store/index-set.ts';
import { CATALOG_MIGRATIONS } from './catalog-migrations.ts';
import type { CatalogTables } from './catalog-tables.ts';
import { IndexSetRepository } from './index-set-repository.ts';
import { validateIndexSet, validationFailed } from './validate-index-set.ts';

export interface IndexSetServiceOptions {
  clock?: () => Date;
}

const MAX_ID = 2 ** 31 - 1;

function notFound(id: unknown): AppError {
  return new AppError('INDEX_SET_NOT_FOUND', `Index set ${String(id)} does not exist`);
}

/**
 * The index-set catalog with access rules. A user reaches only index sets of businesses they are a
 * member of; admins reach all. Index sets the caller may not see answer INDEX_SET_NOT_FOUND (404),
 * exactly like missing ones, so ids cannot be probed to learn what other businesses have.
 * Creating in a business the caller is not a member of is FORBIDDEN (403): it names a business,
 * not an index set, and tells nothing about the business's contents.
 */
export class IndexSetService {
  private readonly repo: IndexSetRepository;
  private readonly clock: () => Date;

  constructor(
    private readonly db: Kysely<CatalogTables>,
    private readonly dialect: DialectKind,
    options: IndexSetServiceOptions = {},
  ) {
    this.repo = new IndexSetRepository(db);
    this.clock = options.clock ?? (() => new Date());
  }

  /** Creates or upgrades the catalog tables; the accounts migrations must have run first. */
  async migrate(): Promise<void> {
    await runMigrations(this.db as Kysely<unknown>, this.dialect, 'catalog', CATALOG_MIGRATIONS);
  }

  /** Validates everything (VALIDATION_FAILED lists every problem), checks access, then stores. */
  async create(principal: Principal, input: unknown): Promise<IndexSet> {
    const bizId = (input as { bkBizId?: unknown } | null)?.bkBizId;
    if (typeof bizId === 'number' && Number.isInteger(bizId) && !canAccessBiz(principal, bizId)) {
      throw new AppError('FORBIDDEN', `You are not a member of business ${bizId}`);
    }
    const def = validateIndexSet(input);
    if (!(await this.repo.businessExists(def.bkBizId))) {
      throw validationFailed([{ path: 'bkBizId', message: `business ${def.bkBizId} does not exist` }]);
    }
    try {
      return await this.repo.insert(def, { createdAt: this.clock().toISOString(), createdBy: principal.username });
    } catch (err) {
      if (isConstraintViolation(err, 'unique')) {
        throw new AppError('ALREADY_EXISTS', `Business ${def.bkBizId} already has an index set named "${def.name}"`, { cause: err });
      }
      throw err;
    }
  }

  /** Live index sets the principal may see, optionally of one business. */
  async list(principal: Principal, filter: { bkBizId?: number } = {}): Promise<IndexSet[]> {
    let bizIds = principal.role === 'admin' ? undefined : principal.bizIds;
    if (filter.bkBizId !== undefined) bizIds = canAccessBiz(principal, filter.bkBizId) ? [filter.bkBizId] : [];
    return this.repo.listLive(bizIds === undefined ? {} : { bizIds });
  }

  /** INDEX_SET_NOT_FOUND when missing, deleted or not visible to the principal. */
  async get(principal: Principal, id: number): Promise<IndexSet> {
    if (!Number.isInteger(id) || id < 1 || id > MAX_ID) throw notFound(id);
    const found = await this.repo.findLive(id);
    if (found === undefined || !canAccessBiz(principal, found.bkBizId)) throw notFound(id);
    return found;
  }

  /**
   * Soft-deletes and returns the index set as it was. The caller then removes its log rows with
   * `LogStore.deleteRows(id)` and may `purge(id)`; `listDeleted()` finds leftovers after a crash.
   */
  async delete(principal: Principal, id: number): Promise<IndexSet> {
    const found = await this.get(principal, id);
    if (!(await this.repo.softDelete(id, this.clock().toISOString()))) throw notFound(id);
    return found;
  }

  /** Soft-deleted index sets whose rows may still need removing (trusted callers only). */
  async listDeleted(): Promise<Array<IndexSet & { deletedAt: string }>> {
    return this.repo.listDeleted();
  }

  /** Forgets a soft-deleted index set once its rows are gone; false if it is live or unknown. */
  async purge(id: number): Promise<boolean> {
    return this.repo.purge(id);
  }
}

/** Builds the index-set service on a Kysely instance (from `createKysely`). */
export function createIndexSetService(db: Kysely<unknown>, dialect: DialectKind, options?: IndexSetServiceOptions): IndexSetService {
  return new IndexSetService(db as unknown as Kysely<CatalogTables>, dialect, options);
}
