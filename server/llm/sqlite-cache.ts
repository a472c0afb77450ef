/** The explanation cache in the run store's SQLite database (table llm_cache), so a cache hit
 * survives a restart. What it reads back is validated like anything else from outside: a row
 * written by an older schema is a miss, never a crash. The table is pruned to a bound. */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../store/db.js';
import { llmCache } from '../store/schema.js';
import { validCached, type CachedExplanation, type ExplanationCache } from './cache.js';

export const DEFAULT_CACHE_ROWS = 10_000;

export interface SqliteCacheOptions {
  /** rows kept; the oldest beyond it are deleted after each write (default 10,000) */
  maxRows?: number;
}

export function sqliteCache(db: Db, options: SqliteCacheOptions = {}): ExplanationCache & { readonly size: number } {
  const maxRows = options.maxRows ?? DEFAULT_CACHE_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new RangeError(`maxRows must be a positive integer, got ${maxRows}`);
  return {
    get size() {
      return db.select({ n: sql<number>`count(*)` }).from(llmCache).get()?.n ?? 0;
    },
    async get(key: string): Promise<CachedExplanation | null> {
      // the answer as stored text: drizzle's JSON column would throw on a row that is not JSON
      const row = db.select({ model: llmCache.model, answer: sql<string>`${llmCache.answer}`, createdAt: llmCache.createdAt })
        .from(llmCache).where(eq(llmCache.key, key)).get();
      if (!row) return null;
      let answer: unknown;
      try { answer = JSON.parse(row.answer); } catch { return null; }
      return validCached({ model: row.model, answer, created_at: row.createdAt });
    },
    async set(key: string, value: CachedExplanation): Promise<void> {
      const checked = validCached(value);
      if (!checked) return; // never store what could not be read back
      const row = { model: checked.model, answer: checked.answer, createdAt: Math.round(checked.created_at) };
      db.transaction(
        (tx) => {
          tx.insert(llmCache).values({ key, ...row }).onConflictDoUpdate({ target: llmCache.key, set: row }).run();
          // newest first by creation (rowid breaks ties); SQLite needs a LIMIT before OFFSET
          tx.run(sql`DELETE FROM llm_cache WHERE key IN (
            SELECT key FROM llm_cache ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ${maxRows})`);
        },
        { behavior: 'immediate' },
      );
    },
  };
}
