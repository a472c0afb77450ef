import { describe, expect, it } from 'vitest';
import type { Db } from '../../server/store/db.js';
import { artifacts, runs, steps } from '../../server/store/schema.js';
import { createRun, getRun, markInterrupted, pruneRuns } from '../../server/store/runs.js';
import { eq } from 'drizzle-orm';
import { sampleRun, setCreatedAt, useMemoryDb } from './fixtures.js';

/** Five runs at t = 100, 200, ... 500, each with an artifact and a step. */
function fiveRuns(db: Db): string[] {
  return [1, 2, 3, 4, 5].map((i) => {
    const id = createRun(db, sampleRun({ artifacts: [{ name: 'stderr.txt', mime: 'text/plain', content: `log ${i}` }] }));
    setCreatedAt(db, id, i * 100);
    db.insert(steps).values({ runId: id, seq: 0, kind: 'detect', title: 'Detect', status: 'done', startedAt: i * 100 }).run();
    return id;
  });
}

const remaining = (db: Db) => db.select({ id: runs.id }).from(runs).orderBy(runs.createdAt).all().map((r) => r.id);

describe('pruneRuns', () => {
  const use = useMemoryDb();

  it('keeps the newest maxRuns', () => {
    const db = use();
    const ids = fiveRuns(db);
    expect(pruneRuns(db, { maxRuns: 2 })).toBe(3);
    expect(remaining(db)).toEqual(ids.slice(3));
    expect(pruneRuns(db, { maxRuns: 2 })).toBe(0);
  });

  it('deletes runs older than maxAgeMs', () => {
    const db = use();
    const ids = fiveRuns(db);
    // cutoff = 450 - 200 = 250: runs at 100 and 200 go
    expect(pruneRuns(db, { maxAgeMs: 200, now: 450 })).toBe(2);
    expect(remaining(db)).toEqual(ids.slice(2));
  });

  it('applies both bounds together without double counting', () => {
    const db = use();
    const ids = fiveRuns(db);
    expect(pruneRuns(db, { maxAgeMs: 200, now: 450, maxRuns: 1 })).toBe(4);
    expect(remaining(db)).toEqual([ids[4]]);
  });

  it('does nothing without bounds, and maxRuns 0 empties the store', () => {
    const db = use();
    fiveRuns(db);
    expect(pruneRuns(db, {})).toBe(0);
    expect(pruneRuns(db, { maxRuns: 0 })).toBe(5);
    expect(remaining(db)).toEqual([]);
    expect(() => pruneRuns(db, { maxRuns: -1 })).toThrow(RangeError);
  });

  it('cascades to artifacts and steps', () => {
    const db = use();
    const ids = fiveRuns(db);
    pruneRuns(db, { maxRuns: 2 });
    const artifactRuns = db.select({ runId: artifacts.runId }).from(artifacts).all().map((r) => r.runId);
    const stepRuns = db.select({ runId: steps.runId }).from(steps).all().map((r) => r.runId);
    expect(artifactRuns.sort()).toEqual(ids.slice(3).sort());
    expect(stepRuns.sort()).toEqual(ids.slice(3).sort());
  });
});

describe('foreign keys', () => {
  const use = useMemoryDb();

  it('deleting a run removes its artifacts and steps', () => {
    const db = use();
    const [gone, kept] = fiveRuns(db);
    db.delete(runs).where(eq(runs.id, gone)).run();
    expect(db.select().from(artifacts).where(eq(artifacts.runId, gone)).all()).toEqual([]);
    expect(db.select().from(steps).where(eq(steps.runId, gone)).all()).toEqual([]);
    expect(db.select().from(artifacts).where(eq(artifacts.runId, kept)).all()).toHaveLength(1);
  });

  it('refuses a step for a run that does not exist', () => {
    const db = use();
    const orphan = { runId: 'Z'.repeat(22), seq: 0, kind: 'detect', title: 'x', status: 'done', startedAt: 1 };
    expect(() => db.insert(steps).values(orphan).run()).toThrow(/FOREIGN KEY/);
  });
});

describe('markInterrupted', () => {
  const use = useMemoryDb();

  it('marks only runs left running', () => {
    const db = use();
    const running = [createRun(db, sampleRun({ status: 'running' })), createRun(db, sampleRun({ status: 'running' }))];
    const done = createRun(db, sampleRun());
    expect(markInterrupted(db)).toBe(2);
    for (const id of running) expect(getRun(db, id)!.status).toBe('interrupted');
    expect(getRun(db, done)!.status).toBe('done');
    expect(markInterrupted(db)).toBe(0);
  });
});
