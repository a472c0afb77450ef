import { eq } from 'drizzle-orm';
import { afterEach, beforeEach } from 'vitest';
import { openDb, type Db } from '../../server/store/db.js';
import { runs } from '../../server/store/schema.js';
import type { CreateRunInput } from '../../server/store/types.js';

/** Each test gets a fresh in-memory database with the real migrations, closed after it. */
export function useMemoryDb(): () => Db {
  let handle: ReturnType<typeof openDb> | undefined;
  beforeEach(() => {
    handle = openDb(':memory:');
  });
  afterEach(() => handle?.close());
  return () => handle!.db;
}

export function sampleRun(over: Partial<CreateRunInput> = {}): CreateRunInput {
  return {
    kind: 'paste',
    title: 'CUDA out of memory',
    listed: false,
    log: 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
    config: '{"max_model_len": 65536}',
    diagnosis: { category: 'cuda_oom', evidence: [{ line: 1, text: 'CUDA out of memory' }] },
    category: 'cuda_oom',
    severity: 'critical',
    confidence: 0.92,
    redactions: [{ kind: 'hf_token', count: 2 }],
    ...over,
  };
}

/** Tests control time by rewriting created_at; createRun itself always stamps Date.now(). */
export function setCreatedAt(db: Db, id: string, createdAt: number): void {
  db.update(runs).set({ createdAt }).where(eq(runs.id, id)).run();
}
