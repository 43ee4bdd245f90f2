import type { Principal } from '../accounts/principal.ts';
import type { IndexSetService } from '../catalog/index-set-service.ts';
import { ingest, type IngestOptions, type IngestResult } from '../ingest/ingest-service.ts';
import type { IngestInput } from '../ingest/line-source.ts';
import type { IndexSet } from '../store/index-set.ts';
import type { LogStore, SearchResult } from '../store/log-store.ts';
import type { SearchRequest } from '../store/search-request.ts';

/**
 * Search and ingest with access checks: the caller must reach the index set (member of its
 * business, or admin) before a row is read or written. HTTP and CLI both go through here.
 */
export class LogsService {
  constructor(
    private readonly indexSets: IndexSetService,
    private readonly store: LogStore,
  ) {}

  /** Returns the index set too: callers render rows with its field names. */
  async search(principal: Principal, indexSetId: number, request: SearchRequest): Promise<{ indexSet: IndexSet; result: SearchResult }> {
    const indexSet = await this.indexSets.get(principal, indexSetId);
    return { indexSet, result: await this.store.search(indexSet, request) };
  }

  async ingest(principal: Principal, indexSetId: number, input: IngestInput, options: IngestOptions): Promise<IngestResult> {
    const indexSet = await this.indexSets.get(principal, indexSetId);
    return ingest(this.store, indexSet, input, options);
  }

  /** Deletes the index set from the catalog, then its rows. */
  async deleteIndexSet(principal: Principal, indexSetId: number): Promise<number> {
    const indexSet = await this.indexSets.delete(principal, indexSetId);
    return this.store.deleteRows(indexSet.id);
  }
}
