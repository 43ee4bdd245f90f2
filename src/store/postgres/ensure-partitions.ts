import { sql, type Kysely } from 'kysely';
import type { StoreDb } from '../schema/store-db.ts';

/** A month of ts as [from, to) epoch ms plus the partition's table name. */
interface MonthRange {
  key: number;
  name: string;
  from: number;
  to: number;
}

// Any constant works; it only has to be the same for every logsift process.
const PARTITION_LOCK_KEY = 0x6c6f6773; // "logs"

function monthOf(ts: number): MonthRange {
  const d = new Date(ts);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const name = `logs_p${y < 0 ? `m${-y}` : y}_${String(m + 1).padStart(2, '0')}`;
  return { key: y * 12 + m, name, from: Date.UTC(y, m, 1), to: Date.UTC(y, m + 1, 1) };
}

/**
 * Creates the monthly range partitions a batch needs, before the batch's transaction (DDL
 * inside it would hold a strong lock on `logs` for the whole insert). Concurrent appenders in
 * any number of processes serialise on one advisory lock and use IF NOT EXISTS, so two
 * processes never race on the same CREATE. Names and bounds are derived from integers only.
 */
export class PartitionManager {
  private readonly known = new Set<number>();

  constructor(private readonly db: Kysely<StoreDb>) {}

  async ensure(timestamps: Iterable<number>): Promise<void> {
    const missing = new Map<number, MonthRange>();
    let lastKey = Number.NaN;
    for (const ts of timestamps) {
      const month = monthOf(ts);
      if (month.key === lastKey) continue;
      lastKey = month.key;
      if (!this.known.has(month.key)) missing.set(month.key, month);
    }
    if (missing.size === 0) return;
    await this.db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${PARTITION_LOCK_KEY})`.execute(tx);
      for (const m of missing.values()) {
        await sql`CREATE TABLE IF NOT EXISTS ${sql.id(m.name)} PARTITION OF logs
          FOR VALUES FROM (${sql.lit(m.from)}) TO (${sql.lit(m.to)})`.execute(tx);
      }
    });
    for (const key of missing.keys()) this.known.add(key);
  }

  /** Drops the cache: the next ensure() checks every month again. */
  forget(): void {
    this.known.clear();
  }
}
