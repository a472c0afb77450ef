/** The explanation cache in the store's llm_cache table: round trip, untrusted rows, the bound. */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { CachedExplanation } from '../../server/llm/cache.js';
import { sqliteCache } from '../../server/llm/sqlite-cache.js';
import { openDb } from '../../server/store/db.js';

const entry = (over: Partial<CachedExplanation> = {}): CachedExplanation => ({
  model: 'Qwen/Qwen2.5-7B-Instruct',
  answer: { root_cause: 'r', failure_category: 'cuda_oom', explanation: 'e', recommended_fix: 'batch_size 8', confidence: 0.7 },
  created_at: 1_700_000_000_000,
  ...over,
});

describe('sqliteCache', () => {
  it('reads back what it stored, and a miss is null', async () => {
    const { db } = openDb(':memory:');
    const cache = sqliteCache(db);
    expect(await cache.get('k')).toBeNull();
    await cache.set('k', entry());
    expect(await cache.get('k')).toEqual(entry());
    await cache.set('k', entry({ model: 'other' })); // same key: replaced, not duplicated
    expect(await cache.get('k')).toMatchObject({ model: 'other' });
    expect(cache.size).toBe(1);
  });

  it('treats a row it cannot validate as a miss (a table that outlived a schema change)', async () => {
    const { db } = openDb(':memory:');
    const cache = sqliteCache(db);
    db.run(sql`INSERT INTO llm_cache (key, model, answer, created_at) VALUES ('old', 'm', '{"explanation":42}', 1)`);
    db.run(sql`INSERT INTO llm_cache (key, model, answer, created_at) VALUES ('junk', 'm', 'not json', 1)`);
    expect(await cache.get('old')).toBeNull();
    await expect(cache.get('junk')).resolves.toBeNull();
    // and never writes an answer that would not read back
    await cache.set('bad', { ...entry(), answer: { ...entry().answer, confidence: 7 } });
    expect(await cache.get('bad')).toBeNull();
  });

  it('keeps at most maxRows rows, dropping the oldest', async () => {
    const { db } = openDb(':memory:');
    const cache = sqliteCache(db, { maxRows: 3 });
    for (let i = 0; i < 6; i++) await cache.set(`k${i}`, entry({ created_at: 1000 + i }));
    expect(cache.size).toBe(3);
    expect(await cache.get('k2')).toBeNull();
    expect(await cache.get('k5')).toMatchObject({ created_at: 1005 });
    expect(await cache.get('k3')).not.toBeNull();
  });

  it('refuses a bound that is not a positive integer', () => {
    const { db } = openDb(':memory:');
    expect(() => sqliteCache(db, { maxRows: 0 })).toThrow(RangeError);
  });
});
