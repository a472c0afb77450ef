/** Explanations cached by what determines them: the model, the prompt version, the taxonomy version
 * and a hash of the redacted prompt. The store's SQLite cache implements the same interface. */
import { createHash } from 'node:crypto';
import { answerShape, type Answer } from './schema.js';

export interface CachedExplanation {
  model: string;
  /** the validated answer; the agreement and the fix review are recomputed on every hit */
  answer: Answer;
  /** ms since the epoch */
  created_at: number;
}

export interface ExplanationCache {
  get(key: string): Promise<CachedExplanation | null>;
  set(key: string, value: CachedExplanation): Promise<void>;
}

export interface CacheKeyParts { model: string; promptVersion: string; taxonomyVersion: string; evidenceHash: string }

export function cacheKey(parts: CacheKeyParts): string {
  const { model, promptVersion, taxonomyVersion, evidenceHash } = parts;
  return createHash('sha256').update(JSON.stringify([model, promptVersion, taxonomyVersion, evidenceHash])).digest('hex');
}

/** A stored value is read back as untrusted (a cache table survives schema changes). */
export function validCached(value: unknown): CachedExplanation | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<CachedExplanation>;
  const answer = answerShape.safeParse(v.answer);
  if (!answer.success || typeof v.model !== 'string') return null;
  return { model: v.model, answer: answer.data, created_at: typeof v.created_at === 'number' ? v.created_at : 0 };
}

/** In memory, least recently used first out. */
export function memoryCache(limit = 500): ExplanationCache & { readonly size: number; clear(): void } {
  const entries = new Map<string, CachedExplanation>();
  return {
    get size() { return entries.size; },
    clear() { entries.clear(); },
    async get(key) {
      const hit = entries.get(key);
      if (!hit) return null;
      entries.delete(key);
      entries.set(key, hit);
      return structuredClone(hit);
    },
    async set(key, value) {
      entries.delete(key);
      entries.set(key, structuredClone(value));
      while (entries.size > limit) entries.delete(entries.keys().next().value as string);
    },
  };
}
