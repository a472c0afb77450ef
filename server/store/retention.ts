import { eq, lt, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { runs } from './schema.js';

/**
 * Applies the retention bound: deletes runs older than `maxAgeMs` and then the oldest beyond
 * the newest `maxRuns`. Steps and artifacts go with them (ON DELETE CASCADE). Returns the
 * number of runs deleted. An unset bound is not applied.
 */
export function pruneRuns(db: Db, opts: { maxRuns?: number; maxAgeMs?: number; now?: number }): number {
  const { maxRuns, maxAgeMs } = opts;
  if (maxRuns !== undefined && (!Number.isInteger(maxRuns) || maxRuns < 0)) {
    throw new RangeError(`maxRuns must be a non-negative integer, got ${maxRuns}`);
  }
  if (maxAgeMs !== undefined && !(maxAgeMs >= 0)) throw new RangeError(`maxAgeMs must be >= 0, got ${maxAgeMs}`);
  const now = opts.now ?? Date.now();
  return db.transaction(
    (tx) => {
      let deleted = 0;
      if (maxAgeMs !== undefined) {
        deleted += tx.delete(runs).where(lt(runs.createdAt, now - maxAgeMs)).run().changes;
      }
      if (maxRuns !== undefined) {
        // same order as the history (rowid breaks ties), so "oldest" means the same everywhere;
        // SQLite needs a LIMIT before OFFSET, and -1 means no limit
        const res = tx.run(sql`DELETE FROM runs WHERE id IN (
          SELECT id FROM runs ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ${maxRuns})`);
        deleted += res.changes;
      }
      return deleted;
    },
    { behavior: 'immediate' },
  );
}

/** At start-up, a run still 'running' was cut off by a restart: say so instead of spinning. */
export function markInterrupted(db: Db): number {
  return db.update(runs).set({ status: 'interrupted' }).where(eq(runs.status, 'running')).run().changes;
}
