import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { newRunId } from './ids.js';
import { artifacts, runs } from './schema.js';
import type { CreateRunInput, RunRecord, RunSummary } from './types.js';

export type { ArtifactInfo, CreateRunInput, Redaction, RunKind, RunMode, RunRecord, RunStatus, RunSummary } from './types.js';
export { markInterrupted, pruneRuns } from './retention.js';

// `id` is random, so insertion order among runs created in the same millisecond comes from rowid
const newestFirst = [desc(runs.createdAt), desc(sql`rowid`)];

/** Stores a run and its artifacts in one transaction: either all of it lands or none. */
export function createRun(db: Db, input: CreateRunInput): string {
  const id = newRunId();
  const now = Date.now();
  // IMMEDIATE takes the write lock up front, so concurrent writers wait (busy_timeout)
  // instead of failing when a read lock cannot be upgraded
  db.transaction(
    (tx) => {
      tx.insert(runs)
        .values({
          id,
          createdAt: now,
          kind: input.kind,
          status: input.status ?? 'done',
          listed: input.listed,
          title: input.title,
          category: input.category,
          severity: input.severity,
          confidence: input.confidence,
          log: input.log,
          config: input.config,
          diagnosis: input.diagnosis ?? null,
          redactions: input.redactions.map(({ kind, count }) => ({ kind, count })),
          scenarioId: input.scenarioId ?? null,
          mode: input.mode ?? null,
        })
        .run();
      const files = input.artifacts ?? [];
      if (files.length === 0) return;
      tx.insert(artifacts)
        .values(files.map((f) => ({ runId: id, name: f.name, mime: f.mime, content: f.content, createdAt: now })))
        .run();
    },
    { behavior: 'immediate' },
  );
  return id;
}

export function getRun(db: Db, id: string): RunRecord | null {
  const row = db.select().from(runs).where(eq(runs.id, id)).get();
  if (!row) return null;
  const files = db
    .select({
      name: artifacts.name,
      mime: artifacts.mime,
      size: sql<number>`length(CAST(${artifacts.content} AS BLOB))`,
    })
    .from(artifacts)
    .where(eq(artifacts.runId, id))
    .orderBy(asc(artifacts.id))
    .all();
  return { ...row, diagnosis: row.diagnosis ?? null, result: row.result ?? null, artifacts: files };
}

export function getArtifact(db: Db, runId: string, name: string): { name: string; mime: string; content: string } | null {
  const row = db
    .select({ name: artifacts.name, mime: artifacts.mime, content: artifacts.content })
    .from(artifacts)
    .where(and(eq(artifacts.runId, runId), eq(artifacts.name, name)))
    .get();
  return row ?? null;
}

/**
 * The public history: listed runs only, newest first. Page with `before` = the last
 * summary's createdAt (runs created in that same millisecond are skipped; rare enough).
 */
export function listPublicRuns(db: Db, opts: { limit: number; before?: number }): RunSummary[] {
  if (!Number.isInteger(opts.limit) || opts.limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${opts.limit}`);
  const listed = eq(runs.listed, true);
  return db
    .select({
      id: runs.id,
      createdAt: runs.createdAt,
      kind: runs.kind,
      title: runs.title,
      category: runs.category,
      severity: runs.severity,
      confidence: runs.confidence,
      status: runs.status,
    })
    .from(runs)
    .where(opts.before === undefined ? listed : and(listed, lt(runs.createdAt, opts.before)))
    .orderBy(...newestFirst)
    .limit(opts.limit)
    .all();
}
